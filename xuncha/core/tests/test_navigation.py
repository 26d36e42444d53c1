from xuncha.core import navigation


def test_only_the_longest_matching_entry_is_active(demo):
    items = navigation.items_for(demo["xcb"], "/rounds/briefing/")
    assert [i["label"] for i in items if i["active"]] == ["进度通报"]
    home = navigation.items_for(demo["xcb"], "/")
    assert [i["label"] for i in home if i["active"]] == ["工作台"]
    rounds = navigation.items_for(demo["xcb"], "/rounds/1/")
    assert [i["label"] for i in rounds if i["active"]] == ["巡察轮次"]
