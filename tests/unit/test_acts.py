"""act(): a form's change answers with its announcement, or its refusal beside the form, or the error page."""

import pytest
from litestar.response import Redirect, Template

from app.core.acts import act
from app.core.errors import Conflict, DomainError, Forbidden, NotFound


async def _returns(value):
    return value


async def _raises(error):
    raise error


async def test_a_change_that_goes_through_answers_with_done_made_from_its_result():
    answer = await act(_returns("J-1"), done=lambda number: Redirect(f"/jobs/{number}"), refused=pytest.fail)
    assert answer.url == "/jobs/J-1"


async def test_done_may_be_a_ready_answer_or_a_coroutine():
    ready = Redirect("/jobs")
    assert await act(_returns(None), done=ready, refused=pytest.fail) is ready

    async def later(result):
        return Redirect(f"/later/{result}")

    assert (await act(_returns(7), done=later, refused=pytest.fail)).url == "/later/7"


@pytest.mark.parametrize("error", [DomainError("No."), Conflict("Changed meanwhile.")])
async def test_a_rule_s_refusal_is_drawn_beside_the_form(error):
    async def redraw(refusal):
        return Template("page.html", context={"error": refusal}, status_code=422)

    answer = await act(_raises(error), done=Redirect("/never"), refused=redraw)
    assert answer.context["error"] is error


@pytest.mark.parametrize("error", [Forbidden("Not yours."), NotFound("No such job.")])
async def test_a_refusal_about_the_record_goes_to_the_error_page(error):
    with pytest.raises(type(error)):
        await act(_raises(error), done=Redirect("/never"), refused=pytest.fail)
