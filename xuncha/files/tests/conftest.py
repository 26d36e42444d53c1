from xuncha.petitions.tests.conftest import city_round, county_round, make_petition  # noqa: F401
