"""An executed notebook as one static page: glue filled in, outputs inlined, nothing executable left."""

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from startup_report.site.notebook_html import render

PNG = "iVBORw0KGgo="


def _glue(name, data):
    return new_output("display_data", data=data, metadata={"scrapbook": {"name": name, "mime_prefix": ""}})


def test_a_page_fills_glue_and_inlines_every_output_without_scripts(tmp_path):
    code = new_code_cell(
        "x = 1",
        outputs=[
            new_output("stream", name="stdout", text="trained 3 runs <fast>\n"),
            new_output(
                "display_data", data={"text/html": "<table><tr><td>7</td></tr></table><script>alert(1)</script>"}
            ),
            new_output("error", ename="E", evalue="boom", traceback=["\x1b[31mRuntimeError\x1b[0m: boom"]),
            _glue("accuracy", {"text/plain": "'91.2%'"}),
            _glue("curve", {"image/png": PNG}),
        ],
    )
    markdown = new_markdown_cell(
        "The model is right {glue:text}`accuracy` of the time.\n\n"
        "```{glue:figure} curve\n:name: fig-curve\n\nThe learning curve.\n```\n"
    )
    path = tmp_path / "nb.ipynb"
    nbformat.write(new_notebook(cells=[code, markdown]), path)
    page = render(path, "Scenario <bear>")
    assert "<title>Scenario &lt;bear&gt;</title>" in page
    assert "right 91.2% of the time" in page  # the glued text, without its quotes
    assert f'src="data:image/png;base64,{PNG}"' in page and "The learning curve." in page
    assert ":name:" not in page
    assert "trained 3 runs &lt;fast&gt;" in page
    assert "<td>7</td>" in page and "<script" not in page
    assert "RuntimeError: boom" in page and "\x1b" not in page
    assert page.count("data:image/png") == 1  # a glued output shows where the text refers to it, once


def test_links_to_chapters_lead_to_the_reports_pages():
    from startup_report.site.notebook_html import chapter_links

    page = '<a href="02-model-build.ipynb">next</a> <a href="../book/math.ipynb#adam">Adam</a> <a href="https://x.org/a.md">x</a>'
    out = chapter_links(page, "notebooks", "../../")
    assert 'href="../../notebooks/02-model-build.html"' in out
    assert 'href="../../book/math.html#adam"' in out
    assert 'href="https://x.org/a.md"' in out  # a page elsewhere is left alone
