"""Loading: the models of unit and district files, amounts, dates, the layout settings."""
