"""Wire shapes (Symbl's field names), one module per part of the API."""
