"""Django settings of the embedded Label Studio: Label Studio's own, with what it tells about itself closed.

Loaded only by the Label Studio server process (``DJANGO_SETTINGS_MODULE``, set by :mod:`counterclaim.studio.server`);
nothing in counterclaim imports it. Label Studio 1.23 answers ``/version/`` and ``/api/version/`` to anyone,
without a login, with its versions and the git commit, message, date and branch of the repository it finds around
its package folder — inside a project's virtualenv, the project's own repository — and puts the same into every
page it renders. Here:

- ``/version/`` and ``/api/version/`` answer 404 (the web app does not use them);
- the versions it collects keep the package version and nothing of any repository (``COLLECT_VERSIONS``, Label
  Studio's own hook, replaces the backend's git description).

The server also runs with ``GIT_DIR`` pointing nowhere, so Label Studio's ``git describe`` finds no repository.
"""

# Label Studio's settings module imports ``core.settings.base`` (its package folder is on sys.path when the
# server runs) and, while it is being imported, calls code that reads settings from the module being imported
# — this one. Importing the base first gives that code what it reads, as it has with Label Studio's own module.
from core.settings.base import *  # noqa: E402,F401,F403
from label_studio.core.settings.label_studio import *  # noqa: E402,F401,F403

MIDDLEWARE = [*MIDDLEWARE, "counterclaim.studio.ls_settings.HideVersions"]  # noqa: F405


def COLLECT_VERSIONS(result=None, **_):  # noqa: N802 - the name of Label Studio's setting
    """The backend's entry without git details: the package version only (also the pages' cache key)."""
    import label_studio

    return {"label-studio-os-backend": {"version": label_studio.__version__, "commit": label_studio.__version__}}


class HideVersions:
    """Django middleware: the version views answer 404, whoever asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "__name__", "") == "version_page":
            from django.http import HttpResponseNotFound

            return HttpResponseNotFound("Not found")
        return None
