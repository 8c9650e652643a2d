"""The demand page ranks similar demands against stored vectors: no vectoriser is fitted per view (issue 19)."""
import pytest
from django.urls import reverse

from minqing.appeals.models import Status
from minqing.appeals.tests.factories import appeal_in
from minqing.insight import features, similarity

pytestmark = pytest.mark.django_db

TEXTS = ["3号楼暖气不热，家里只有十几度", "3号楼暖气片不热已经一周", "小区门口垃圾堆放没人清运",
         "楼道灯坏了晚上看不见", "地下室漏水很严重", "广场舞噪音扰民到晚上十点"]


def test_demand_page_does_not_fit_a_vectoriser_per_view(client, tree, actors, monkeypatch):
    monkeypatch.setattr(similarity, "stored_vectors", similarity.StoredVectors())
    fits = []
    real_fit = features.fit_vectorizer
    monkeypatch.setattr(similarity, "fit_vectorizer", lambda *a, **kw: fits.append(1) or real_fit(*a, **kw))
    appeals = [appeal_in(Status.CLOSED, place=tree["building_a1"], handler=actors["worker"], title=t[:8], text=t)
               for t in TEXTS]
    client.force_login(actors["street"])
    for appeal in appeals:
        assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 200
    assert len(fits) == 1  # the first view fits; every later one ranks against the stored vectors
    found = similarity.stored_vectors.nearest(TEXTS[0], [{"id": a.pk, "text": f"{a.title} {a.text}"}
                                                        for a in appeals[1:]], k=1)
    assert found[0].id == appeals[1].pk


def test_stored_vectors_rank_like_a_fit_per_request():
    corpus = [{"id": i, "text": t} for i, t in enumerate(TEXTS[1:])]
    fresh = similarity.nearest(TEXTS[0], corpus, k=3)
    stored = similarity.StoredVectors()
    stored.nearest(TEXTS[2], corpus, k=3)  # fitted on this corpus, vectors kept
    assert [n.id for n in stored.nearest(TEXTS[0], corpus, k=3)] == [n.id for n in fresh]


def test_a_warm_process_reads_only_the_texts_it_has_not_vectorised():
    stored, asked = similarity.StoredVectors(), []
    texts = dict(enumerate(TEXTS[1:]))

    def texts_of(ids):
        asked.append(list(ids))
        return {i: texts[i] for i in ids}

    stored.nearest_ids(TEXTS[2], [0, 1, 2], texts_of, k=2)
    asked.clear()
    found = stored.nearest_ids(TEXTS[0], [0, 1, 2, 3, 4], texts_of, k=3)
    assert asked == [[3, 4]]  # 0–2 are stored; only the two new demands' texts are read
    corpus = [{"id": i, "text": t} for i, t in texts.items()]
    assert [n.id for n in found] == [n.id for n in similarity.nearest(TEXTS[0], corpus, k=3)][:len(found)]
