"""The build: what runs the layers below for one request: stages, staged outputs, several audiences at once,
and the forked PDF worker."""
