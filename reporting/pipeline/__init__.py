"""Building: what runs the layers below for one request (and checks a project without building)."""
