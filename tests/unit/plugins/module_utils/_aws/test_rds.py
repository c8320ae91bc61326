"""RDS helpers: engine version matching, final snapshot names, secrets kept out of the desired state."""

from __future__ import annotations

import datetime

from ansible_collections.agno.infra.plugins.module_utils._aws.db_instance import DbInstanceResource
from ansible_collections.agno.infra.plugins.module_utils._aws.rds import final_snapshot_name


def instance(**params: object) -> DbInstanceResource:
    values = {key: spec.get("default") for key, spec in DbInstanceResource.argument_spec.items()}
    values.update(identifier="db1", engine="postgres", instance_class="db.t4g.micro")
    values.update(params)
    return DbInstanceResource(None, values)


def test_engine_version_prefix_matches_the_running_version() -> None:
    db = instance(engine_version="15")
    assert not db.differs("engine_version", "15.4", "15")
    assert db.differs("engine_version", "16.1", "15")
    assert db.differs("engine_version", "150.1", "15")


def test_password_is_only_desired_with_update_password_always() -> None:
    assert "master_user_password" not in instance(master_user_password="pw").desired()
    assert instance(master_user_password="pw", update_password="always").desired()["master_user_password"] == "pw"


def test_private_and_encrypted_by_default() -> None:
    desired = instance().desired()
    assert desired["publicly_accessible"] is False and desired["storage_encrypted"] is True


def test_unknown_engine_is_refused() -> None:
    assert "Unknown engine 'postgress'" in DbInstanceResource.problems(instance(engine="postgress").params)[0]


def test_final_snapshot_name() -> None:
    when = datetime.datetime(2026, 11, 24, 5, 30, 0, tzinfo=datetime.timezone.utc)
    assert final_snapshot_name("agent-app", when) == "agent-app-final-20261124053000"
