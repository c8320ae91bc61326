"""A converge process loads only what its items need: the modules' own code imports neither the Docker SDK nor
botocore's session machinery nor jsonschema; the first Docker connection, AWS connection or schema check does."""

from __future__ import annotations

import pathlib
import subprocess
import sys

COLLECTIONS = pathlib.Path(__file__).resolve().parents[3] / ".build" / "collections"
HEAVY = ("docker", "requests", "botocore.session", "botocore.client", "jsonschema")


def printed(probe: str) -> str:
    """What a fresh interpreter prints running ``probe`` (the collection on its path)."""
    done = subprocess.run([sys.executable, "-c", probe], cwd=str(COLLECTIONS), capture_output=True, text=True, check=True)
    return done.stdout.strip()


def loaded_after(statements: str) -> str:
    """The heavy packages a fresh interpreter holds after running ``statements``."""
    return printed("import sys\n%s\nprint(' '.join(name for name in %r if name in sys.modules))" % (statements, HEAVY))


def test_the_registry_and_the_environment_layer_import_no_sdk_nor_jsonschema() -> None:
    assert loaded_after("from ansible_collections.agno.infra.plugins.module_utils._environment import run") == ""


def test_a_docker_error_is_recognised_once_the_sdk_is_loaded_and_loads_nothing_else() -> None:
    assert loaded_after(
        "from ansible_collections.agno.infra.plugins.module_utils._docker.client import SDK, is_transient\n"
        "import docker.errors\n"
        "assert is_transient(docker.errors.APIError('boom', type('R', (), {'status_code': 503, 'reason': 'busy', 'url': '/x'})()), 'inspect_container')\n"
        "assert not is_transient(docker.errors.NotFound('gone'), 'inspect_container')\n"
        "assert issubclass(SDK.NotFound, SDK.APIError)") == "docker requests"


def test_a_docker_lookup_compiles_no_aws_type() -> None:
    aws_modules = printed("import sys\n"
                          "from ansible_collections.agno.infra.plugins.module_utils._engine.registry import RESOURCE_TYPES\n"
                          "assert RESOURCE_TYPES['docker_container'].module_name == 'docker_container'\n"
                          "print(sorted(name.rsplit('.', 1)[-1] for name in sys.modules if '.module_utils._aws.' in name))")
    # docker_image takes the AWS connection options (for an ECR login): the AWS client code, but no AWS type.
    assert aws_modules == "['client', 'tagging']"
