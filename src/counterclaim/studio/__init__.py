"""Label Studio as a running service: the embedded server (its process, credentials and data folder), a checked
sdk connection to any server, and the push and pull of a project over HTTP."""
