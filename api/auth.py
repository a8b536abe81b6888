"""Signing in and out, one's own API tokens, and (for admins) users and their roles."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from accounts import roles, tokens, users
from accounts.principal import SignedInUser
from accounts.tables import ApiToken, RoleGrant, User
from accounts.views import GrantView, MeView, NewToken, TokenView, UserView, me_view
from api.access import SIGN_IN
from api.actor import current_actor
from api.problems import problems
from api.security import start_session
from api.throttle import sign_out, throttled_sign_in
from core.errors import Unauthenticated
from core.limits import text
from parties.tables import Party, Structure

Email = text(User.email)
Password = Annotated[str, msgspec.Meta(max_length=1000)]  # argon2 hashes any length; this is plenty


class Credentials(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    password: Password


class TokenIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: text(ApiToken.name)


class UserIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    name: text(User.name)
    password: Password | None = None  # none: the user signs in with API tokens only


class GrantIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    role: text(RoleGrant.role)
    structure: text(Structure.slug) | None = None  # secretariat
    party: text(Party.code) | None = None  # clerk
    agreement_id: int | None = None  # steward


def signed_in(request: Request) -> SignedInUser:
    user = request.scope.get("user")
    if user is None:
        raise Unauthenticated(SIGN_IN)
    return user


class AuthController(Controller):
    path = "/api/auth"
    tags = ["Inloggning"]

    @post(
        "/login",
        summary="Logga in (sessionskaka)",
        description="Svarar likadant för okänd adress och fel lösenord. Efter fem misslyckade försök "
        "spärras kontot i 15 minuter (429). Kräver CSRF-token som alla formulär: skicka kakan "
        "samverkan_csrf tillbaka i rubriken x-csrftoken.",
        status_code=HTTP_200_OK,
        opt={"access": "public"},
        responses=problems(400, 401, 403, 429),
    )
    async def login(self, request: Request, data: JSONBody[Credentials]) -> MeView:
        user = await throttled_sign_in(request, data.email, data.password)
        start_session(request, user.id)
        return me_view(user)

    @post(
        "/logout",
        summary="Logga ut",
        description="Avslutar sessionen och tar bort sessionskakan. Utan session gör den ingenting.",
        status_code=204,
        opt={"access": "public"},
        responses=problems(403),
    )
    async def logout(self, request: Request) -> None:
        await sign_out(request)

    @get(
        "/me",
        summary="Den inloggade användaren",
        description="Namn, e-postadress och roller för den som frågar (med sessionskaka eller API-nyckel).",
        opt={"access": "signed_in"},
        responses=problems(401),
    )
    async def me(self, request: Request) -> MeView:
        return me_view(signed_in(request))

    @get(
        "/tokens",
        summary="Mina API-nycklar",
        description="Dina API-nycklar med namn, när de skapades och senast användes; aldrig nycklarna "
        "själva.",
        opt={"access": "signed_in"},
        responses=problems(401),
    )
    async def list_tokens(self, request: Request) -> list[TokenView]:
        return await tokens.list_tokens(signed_in(request).id)

    @post(
        "/tokens",
        summary="Skapa en API-nyckel (visas bara nu)",
        description="Nyckeln gäller med dina roller och visas bara i detta svar; bara dess SHA-256-hash "
        "sparas.",
        opt={"access": "signed_in"},
        responses=problems(400, 401, 403, 422),
    )
    async def create_token(self, request: Request, data: JSONBody[TokenIn]) -> NewToken:
        return await tokens.create_token(signed_in(request).id, data.name, actor=current_actor(request))

    @delete(
        "/tokens/{token_id:int}",
        summary="Återkalla en av mina API-nycklar",
        description="Nyckeln slutar gälla genast. En annans nyckel, eller en som inte finns, ger 404.",
        opt={"access": "signed_in"},
        responses=problems(401, 403, 404),
    )
    async def revoke_token(self, request: Request, token_id: FromPath[int]) -> None:
        await tokens.revoke_token(signed_in(request).id, token_id, actor=current_actor(request))


class UserController(Controller):
    path = "/api/users"
    tags = ["Användare"]
    opt = {"access": "admin"}

    @get(
        "/",
        summary="Användare och roller",
        description="Alla användare med sina roller och var de gäller (struktur, part eller "
        "överenskommelse).",
        responses=problems(401, 403),
    )
    async def list_users(self, request: Request) -> list[UserView]:
        return await users.list_users()

    @post(
        "/",
        summary="Skapa en användare",
        description="Med e-postadress, namn och, om hon ska logga in med lösenord, ett lösenord. En "
        "adress som redan finns ger 409.",
        responses=problems(400, 401, 403, 409, 422),
    )
    async def create_user(self, request: Request, data: JSONBody[UserIn]) -> UserView:
        return await users.create_user(
            data.email, name=data.name, password=data.password, actor=current_actor(request)
        )

    @post(
        "/{user_id:int}/roles",
        summary="Ge en roll",
        description="Rollen (sekretariat, registrator, förvaltare, läsare, administratör) med den "
        "struktur, part eller överenskommelse den gäller för.",
        responses=problems(400, 401, 403, 404, 409, 422),
    )
    async def grant_role(
        self, request: Request, user_id: FromPath[int], data: JSONBody[GrantIn]
    ) -> GrantView:
        return await roles.grant_role(
            user_id,
            data.role,
            structure=data.structure,
            party=data.party,
            agreement_id=data.agreement_id,
            actor=current_actor(request),
        )

    @delete(
        "/{user_id:int}/roles/{role_id:int}",
        summary="Ta bort en roll",
        description="Användaren förlorar rollen; borttagningen skrivs i granskningsloggen.",
        responses=problems(401, 403, 404),
    )
    async def revoke_role(self, request: Request, user_id: FromPath[int], role_id: FromPath[int]) -> None:
        await roles.revoke_role(user_id, role_id, actor=current_actor(request))
