"""Any YAML in: either a glossary or clean `file:line:` problems out, never a crash."""

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transflow import glossary as g
from transflow.errors import GlossaryError

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=12), st.sampled_from(["pt", "de", "xx1", "ko", "", "noun", "id", "source"]))
keys = st.sampled_from(["id", "source", "variants", "case_sensitive", "pos", "note", "do_not_translate",
                        "translations", "preferred", "allowed", "forbidden", "pt", "de", "zz", "terms", "colour"])
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(keys, inner, max_size=5)), max_leaves=20)
documents = st.one_of(values, st.fixed_dictionaries({"terms": st.lists(values, max_size=4)}))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents, garbage=st.text(max_size=40))
def test_any_yaml_gives_a_glossary_or_clean_problems(tmp_path, doc, garbage):
    path = tmp_path / "g.yaml"
    for text in (yaml.safe_dump(doc, allow_unicode=True), garbage):
        path.write_text(text, encoding="utf-8")
        try:
            glossary = g.load(path)
        except GlossaryError as e:
            assert e.problems and all(p.startswith(f"{path}:") for p in e.problems)
            assert all(p.split(":")[1].isdigit() for p in e.problems)
        else:
            assert isinstance(glossary, g.Glossary)
