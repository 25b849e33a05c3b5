"""The site: builds the Jupyter Book from the executed notebooks and the generated appendix pages."""
