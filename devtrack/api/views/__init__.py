"""The API's endpoints (`endpoints`), its documentation page (`docs`) and the administrators'
page for API clients (`admin`)."""
