from xuncha.core.params import id_param


def test_id_param_takes_ascii_ids_only():
    assert id_param("12") == 12
    assert id_param(" 7 ") == 7
    for bad in ("²", "١٢", "9999-12-31", "x", "", None, "0" * 12, "-1", "1.5"):
        assert id_param(bad) is None, bad
