

def test_round_page_names_my_team_role_in_chinese(client_as, demo):
    from xuncha.rounds.models import Round

    city = Round.objects.get(jurisdiction__name="安康市", number=1)
    body = client_as("zuzhang").get(f"/rounds/{city.pk}/").content.decode()
    assert "<dd>组长</dd>" in body and "<dd>leader</dd>" not in body
