"""The Streamlit dashboard's views: they call sib's public functions and format what comes
back; no model logic lives here."""
