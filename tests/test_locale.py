"""Staff never meet an English word in the admin's Japanese."""


def test_a_blank_choice_says_choose_in_japanese(superuser):
    html = superuser.get("/admin/councils/councilmember/add/").content.decode()
    assert "選択してください" in html
    assert "Select an option" not in html
