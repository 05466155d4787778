"""docs/deployment.md's settings table and the packaged config.toml come from app.config."""

from __future__ import annotations

import tomllib
from pathlib import Path

from app.config import SETTINGS
from app.support.policydoc import (
    MSI_PROPERTIES,
    TABLE_END,
    TABLE_START,
    machine_config_template,
    replace_table,
    settings_table,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"
WXS = Path(__file__).resolve().parents[2] / "packaging" / "windows" / "doorstep.wxs"


def test_deployment_doc_table_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert replace_table(text) == text, "run: python -m app.support.policydoc"
    table = text.split(TABLE_START)[1].split(TABLE_END)[0]
    for setting in SETTINGS:
        assert f"| `{setting.name}` |" in table


def test_table_has_a_row_per_setting() -> None:
    rows = [line for line in settings_table().splitlines() if line.startswith("| `")]
    assert len(rows) == len(SETTINGS)


def test_packaged_config_is_valid_toml_listing_every_key_commented_out() -> None:
    template = machine_config_template()
    assert tomllib.loads(template) == {}  # every line is a comment: nothing set by default
    for setting in SETTINGS:
        assert f"\n# {setting.name} = " in template
    # Uncommented, each line is the key at its default, which app.config accepts.
    uncommented = "\n".join(
        line[2:] for line in template.splitlines() if line.startswith("# ") and " = " in line
    )
    assert {k: v for k, v in tomllib.loads(uncommented).items()} == {
        s.name: s.default for s in SETTINGS
    }


def test_msi_properties_name_real_keys_and_appear_in_the_wix_source() -> None:
    names = {setting.name for setting in SETTINGS}
    assert set(MSI_PROPERTIES) <= names
    wxs = WXS.read_text(encoding="utf-8")
    for key, prop in MSI_PROPERTIES.items():
        assert f'<Property Id="{prop}"' in wxs
        assert f"--set={key}=[{prop}]" in wxs
