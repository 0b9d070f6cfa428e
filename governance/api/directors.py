"""/api/v1/directors: the board's directors and their terms."""

from __future__ import annotations

from flask import url_for

from governance.api.auth import READERS, WRITERS, token_required
from governance.api.blueprint import bp
from governance.api.parsing import parse_body
from governance.api.schemas import ID, Director, DirectorRequest, commit, respond
from governance.services import directors


@bp.get("/directors")
@token_required(*READERS)
def list_directors():
    return respond([Director.of(d) for d in directors.list_directors()])


@bp.post("/directors")
@token_required(*WRITERS)
def create_director():
    body = parse_body(DirectorRequest)
    director = directors.create_director(body.to_input())
    commit()
    return respond(Director.of(director), 201,
                   {"Location": url_for("api.get_director", director_id=director.id)})


@bp.get(f"/directors/<{ID}:director_id>")
@token_required(*READERS)
def get_director(director_id: int):
    return respond(Director.of(directors.get_director(director_id)))


@bp.put(f"/directors/<{ID}:director_id>")
@token_required(*WRITERS)
def update_director(director_id: int):
    body = parse_body(DirectorRequest)
    director = directors.update_director(director_id, body.to_input())
    commit()
    return respond(Director.of(director))
