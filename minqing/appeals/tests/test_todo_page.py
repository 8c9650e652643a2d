import pytest
from django.urls import reverse

from minqing.appeals.models import Status
from minqing.appeals.tests.factories import appeal_in
from minqing.appeals.views import TODO_SECTION_ROWS

pytestmark = pytest.mark.django_db


def test_a_full_section_shows_its_most_urgent_rows_and_its_true_size(client, tree, actors):
    waiting = [appeal_in(Status.SUBMITTED, place=tree["building_a1"], title=f"新诉求{i}")
               for i in range(TODO_SECTION_ROWS + 3)]
    client.force_login(actors["worker"])
    page = client.get(reverse("appeals:todo")).content.decode()
    section = page.split('data-testid="todo-new"')[1].split("</section>")[0]
    assert section.count('data-testid="appeal-row"') == TODO_SECTION_ROWS
    assert f'<span class="tag">{len(waiting)}</span>' in section
    assert f"最紧急的 {TODO_SECTION_ROWS} 条，共 {len(waiting)} 条" in section
    assert f'data-code="{waiting[0].receipt_code}"' in section  # the longest waiting first
    assert f'data-code="{waiting[-1].receipt_code}"' not in section
    returned = page.split('data-testid="todo-returned"')[1].split("</section>")[0]
    assert 'data-testid="todo-more"' not in returned and '<span class="tag">0</span>' in returned
