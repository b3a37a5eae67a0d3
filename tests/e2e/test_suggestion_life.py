"""The whole life of a suggestion, across the roles, through the browser only.

The reference data (congress, sessions, delegations, deputies, units, clerks, staff,
categories, handling rules) comes from the factories; every change of state is a click
in a page. Along the way the workbench numbers, the success messages and the timeline
must say what happened.
"""

import re

import pytest

from .conftest import PNG, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "关于加快老旧小区改造的建议"
BODY = "建议加大财政投入，分批推进老旧小区改造，优先解决加装电梯和雨污分流问题。"
OPINION = "财政局意见：可从城市更新专项资金中统筹安排。"
FIRST_REPLY = "经研究，老旧小区改造已纳入明年计划，将分批推进。"
COMPLAINT = "答复只讲计划，没有具体时间表，电梯问题仍未解决。"
SECOND_REPLY = "已明确时间表：明年六月前完成首批十个小区的电梯加装。"


def test_a_suggestion_from_draft_to_closed(stage, cast, server_clock):
    # --- the deputy drafts, with a co-signer chosen in the picker -----------------
    deputy = stage.person("deputy", cast.deputy.username)
    deputy.expect_counts(deputy_drafts=0, deputy_to_rate=0, deputy_closed=0)
    staff = stage.person("staff", cast.staff.username)
    staff.expect_counts(staff_to_review=0, staff_to_assign=0)

    deputy.submit(deputy.action("new-draft"))
    page = deputy.page
    page.locator("[name=title]").fill(TITLE)
    page.locator("[name=body]").fill(BODY)
    picker = page.locator("[data-cosigner-picker]")
    search = picker.locator("[data-picker-search]")
    results = picker.locator("[data-picker-results] button")
    search.fill("李")
    expect(results).to_have_count(2)  # 李秀英 and 李明
    search.fill("阜康")  # by delegation
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("李秀英")
    results.first.click()
    expect(picker.locator("[data-picker-chips]")).to_contain_text("李秀英")
    expect(picker.locator("[data-picker-chips]")).not_to_contain_text("李明")
    deputy.submit(deputy.action("create"), success="The draft is saved")
    match = re.search(r"/suggestions/(\d+)/$", deputy.page.url)
    assert match, deputy.page.url
    detail = match.group(0)
    expect_status(deputy, "draft")
    expect(page.get_by_test_id("cosigner-status")).to_contain_text("李秀英")
    expect(page.locator("[data-cosigner-state=invited]")).to_have_count(1)
    expect_timeline(deputy, "Draft created")

    deputy.workbench(deputy_drafts=1, deputy_in_progress=0)

    # --- … and submits it -------------------------------------------------------------
    deputy.goto(detail)
    deputy.submit(deputy.action("submit"), success="The suggestion is submitted")
    expect_status(deputy, "submitted")
    expect_timeline(deputy, "Submitted")
    deputy.workbench(deputy_drafts=0, deputy_in_progress=1)
    staff.workbench(staff_to_review=1, staff_to_assign=0)

    # --- the co-signer confirms the invitation ----------------------------------------
    cosigner = stage.person("co-signer", cast.cosigner.username)
    cosigner.expect_counts(deputy_invitations=1)
    cosigner.open_card("deputy-invitations")
    cosigner.submit(cosigner.page.get_by_role("link", name=TITLE))
    cosigner.submit(cosigner.action("cosign"), success="You have co-signed")
    expect(cosigner.page.get_by_test_id("cosigned-note")).to_be_visible()
    expect_timeline(cosigner, "Co-signed")
    cosigner.workbench(deputy_invitations=0)

    # --- the staff file it under a category … ---------------------------------------
    staff.open_card("staff-to-review")
    staff.submit(staff.page.get_by_role("link", name=TITLE))
    staff.submit(staff.action("register"))  # the panel's link to the filing page
    staff.page.locator("[name=category]").select_option(label="城乡建设")
    staff.submit(staff.action("register"), success="Filed as No. 1")
    expect_status(staff, "registered")
    expect_timeline(staff, "Filed")
    staff.workbench(staff_to_review=0, staff_to_assign=1)

    # --- … and assign it to a lead unit and a co-unit --------------------------------
    lead = stage.person("lead unit", cast.lead_clerk.username)
    lead.expect_counts(unit_to_acknowledge=0, unit_in_progress=0)
    staff.open_card("staff-to-assign")
    staff.submit(staff.page.get_by_role("link", name=TITLE))
    staff.submit(staff.action("assign"))  # the panel's link to the assignment page
    form = staff.form_of("assign")
    form.locator("[name=lead_unit]").select_option(label=cast.lead_unit.name)
    # The co-units come through the search picker (static/js/picker.js).
    picker = form.get_by_test_id("picker-co_units")
    picker.locator("[data-picker-search]").fill(cast.co_unit.name)
    expect(picker.locator("[data-picker-results] button")).to_have_count(1)
    picker.locator("[data-picker-search]").press("Enter")
    expect(picker.locator("[data-picker-chips]")).to_contain_text(cast.co_unit.name)
    staff.submit(staff.action("assign"), success=f"Assigned to {cast.lead_unit.name}")
    expect_status(staff, "assigned")
    expect_timeline(staff, "Assigned")
    staff.workbench(staff_to_assign=0)

    # The unit gets to work later that day: time passes on the server too.
    server_clock.advance(hours=1)

    # --- the lead unit acknowledges and talks to the deputy ---------------------------
    lead.workbench(unit_to_acknowledge=1, unit_in_progress=1, unit_opinions=0)
    lead.open_card("unit-to-acknowledge")
    lead.submit(lead.page.get_by_role("link", name=TITLE))
    lead_assignment = lead.url_path
    lead.submit(lead.action("acknowledge"), success="acknowledged")
    lead.workbench(unit_to_acknowledge=0, unit_in_progress=1)

    lead.goto(lead_assignment)
    contact = lead.form_of("contact")
    contact.locator("[name=method]").select_option("visit")
    contact.locator("[name=note]").fill("上门面商，代表希望明确加装电梯的时间表。")
    lead.submit(lead.action("contact"), success="contact with the deputy")
    expect(lead.page.get_by_test_id("contacts")).to_contain_text("上门面商")

    # --- the co-unit sends its opinion to the lead unit -------------------------------
    # (before the lead unit's reply: once replied, the round is over for co-units too)
    co = stage.person("co-unit", cast.co_clerk.username)
    co.expect_counts(unit_to_acknowledge=1, unit_opinions=1)
    co.open_card("unit-opinions")
    co.submit(co.page.get_by_role("link", name=TITLE))
    co.submit(co.action("acknowledge"), success="acknowledged")
    opinion = co.form_of("reply")
    opinion.locator("[name=outcome]").select_option("resolved")
    opinion.locator("[name=body]").fill(OPINION)
    co.submit(co.action("reply"), success="opinion has been sent to the lead unit")
    co.workbench(unit_to_acknowledge=0, unit_opinions=0, unit_in_progress=0)

    # --- the lead unit reads it and replies with a letter -----------------------------
    lead.goto(lead_assignment)
    expect(lead.page.get_by_test_id("co-opinions")).to_contain_text(OPINION)
    reply = lead.form_of("reply")
    reply.locator("[name=outcome]").select_option("in_progress")
    reply.locator("[name=body]").fill(FIRST_REPLY)
    reply.locator("[name=signed_by]").fill("张主任")
    reply.locator("[name=letter]").set_input_files(
        files=[{"name": "答复函.png", "mimeType": "image/png", "buffer": PNG}]
    )
    lead.submit(lead.action("reply"), success="The reply has been sent")
    expect(lead.page.get_by_test_id("my-reply")).to_contain_text(FIRST_REPLY)
    lead.workbench(unit_to_acknowledge=0, unit_in_progress=0)

    # --- the deputy reads the letter and is not satisfied ----------------------------
    deputy.workbench(deputy_to_rate=1, deputy_in_progress=0)
    expect(deputy.page.get_by_test_id("unread-badge")).to_be_visible()
    deputy.open_card("deputy-to-rate")
    deputy.submit(deputy.page.get_by_role("link", name=TITLE))
    expect_status(deputy, "replied")
    expect_timeline(deputy, "Replied")
    expect(deputy.page.locator("main")).to_contain_text(FIRST_REPLY)
    letter = download_letter(stage, deputy)
    assert letter == PNG
    rating = deputy.page.get_by_test_id("evaluate-form")
    rating.locator("[data-attitude=basically_satisfied]").click()
    rating.locator("[data-rating=dissatisfied]").click()
    rating.locator("[name=comment]").fill(COMPLAINT)
    deputy.submit(deputy.action("evaluate"), success="The unit will handle")
    expect_status(deputy, "rehandling")
    expect_timeline(deputy, "Rated")
    expect(deputy.page.get_by_test_id("evaluation-1")).to_contain_text(COMPLAINT)
    deputy.workbench(deputy_to_rate=0, deputy_in_progress=1)

    # --- round 2: the lead unit acknowledges the new assignment and replies again -----
    server_clock.advance(hours=1)
    lead.workbench(unit_to_acknowledge=1, unit_in_progress=1)
    lead.open_card("unit-to-acknowledge")
    lead.submit(lead.page.get_by_role("link", name=TITLE))
    assert lead.url_path != lead_assignment  # the round's own assignment
    expect(lead.page.get_by_test_id("earlier-rounds")).to_contain_text(COMPLAINT)
    lead.submit(lead.action("acknowledge"), success="acknowledged")
    # The round's own meeting with the deputy before replying (三见面): the form
    # offers the stage still missing.
    contact = lead.form_of("contact")
    contact.locator("[name=method]").select_option("phone")
    contact.locator("[name=note]").fill("电话沟通重新办理的安排。")
    lead.submit(lead.action("contact"), success="contact with the deputy")
    reply = lead.form_of("reply")
    reply.locator("[name=outcome]").select_option("resolved")
    reply.locator("[name=body]").fill(SECOND_REPLY)
    lead.submit(lead.action("reply"), success="The reply has been sent")
    lead.workbench(unit_to_acknowledge=0, unit_in_progress=0)

    # --- the deputy is satisfied: closed ----------------------------------------------
    deputy.workbench(deputy_to_rate=1, deputy_closed=0)
    deputy.goto(detail)
    expect(deputy.page.locator("main")).to_contain_text(SECOND_REPLY)
    rating = deputy.page.get_by_test_id("evaluate-form")
    rating.locator("[data-attitude=satisfied]").click()
    rating.locator("[data-rating=satisfied]").click()
    deputy.submit(deputy.action("evaluate"), success="the suggestion is closed")
    expect_status(deputy, "closed")
    expect(deputy.page.get_by_test_id("evaluation-2")).to_be_visible()
    deputy.workbench(deputy_to_rate=0, deputy_in_progress=0, deputy_closed=1)

    # The whole story, in order, on the timeline everyone reads.
    staff.goto(detail)
    expect_status(staff, "closed")
    labels = timeline_labels(staff)
    story = [
        "Draft created",
        "Submitted",
        "Co-signed",
        "Filed",
        "Assigned",
        "Acknowledged by the unit",
        "Contact with the deputy recorded",
        "Acknowledged by the unit",
        "Co-unit opinion sent",
        "Replied",
        "Rated",
        "Acknowledged by the unit",
        "Contact with the deputy recorded",
        "Replied",
        "Rated",
    ]
    assert labels == story, labels
    staff.workbench(staff_to_review=0, staff_to_assign=0, staff_overdue=0)

    stage.assert_clean()


# --- helpers --------------------------------------------------------------------------


def expect_status(person, status: str) -> None:
    """The status badge in the suggestion's header."""
    expect(person.page.locator("main h1 + div [data-status]").first).to_have_attribute(
        "data-status", status
    )


def expect_timeline(person, label: str) -> None:
    expect(person.page.locator(".timeline")).to_contain_text(label)


def timeline_labels(person) -> list[str]:
    """Each timeline entry's action (without its status badge or note)."""
    labels = person.page.locator(".timeline > li [data-testid=event-label]")
    return [label.strip() for label in labels.all_inner_texts()]


def download_letter(stage, person) -> bytes:
    link = person.action("download-letter")
    expect(link).to_have_count(1)
    stage.downloads.add(stage.base_url + link.get_attribute("href"))
    with person.page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".png"), download.suggested_filename
    with open(download.path(), "rb") as handle:
        return handle.read()
