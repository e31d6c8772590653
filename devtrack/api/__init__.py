"""The JSON API (`/api/v1`): API clients with scopes, the organisation in, figures out."""
