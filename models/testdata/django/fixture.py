# Fills a freshly migrated database of the original mini-discord (Django +
# Channels) with every awkward case `minidiscord import-django` must handle,
# through the original's own ORM. Run by make_fixture.sh, which see.
#
# Passwords are hashed by Django's own hashers; users.json (written beside
# this file) lists each user's password so the tests can log in with it.
import datetime
import json
import os

from django.contrib.auth.hashers import (
    Argon2PasswordHasher, BCryptPasswordHasher, BCryptSHA256PasswordHasher,
    CryptPasswordHasher, MD5PasswordHasher, PBKDF2PasswordHasher,
    PBKDF2SHA1PasswordHasher)
from django.contrib.auth.models import User

from chat.models import Message, Room

UTC = datetime.timezone.utc
HASHERS = {
    "pbkdf2_sha256": PBKDF2PasswordHasher(),  # Django's default
    "pbkdf2_sha1": PBKDF2SHA1PasswordHasher(),
    "argon2": Argon2PasswordHasher(),
    "bcrypt_sha256": BCryptSHA256PasswordHasher(),
    "bcrypt": BCryptPasswordHasher(),
    "md5": MD5PasswordHasher(),
    "crypt": CryptPasswordHasher(),  # a format minidiscord does not check
}

# (username, password, hasher, is_staff, is_superuser, is_active)
# Usernames are saved through the ORM, which does not run the signup form's
# validator, so some are names Django's form would refuse too.
USERS = [
    ("ann", "ann's old password", "pbkdf2_sha256", False, False, True),
    ("Bob", "bob is the first", "pbkdf2_sha256", False, False, True),
    ("BOB", "bob in capitals", "pbkdf2_sha256", False, False, True),
    ("bob", "bob in lower case", "argon2", False, False, True),
    ("admin", "the admin's password", "pbkdf2_sha256", True, True, True),
    ("mod", "the moderator's password", "bcrypt_sha256", True, False, True),
    ("john.doe", "dots are fine", "pbkdf2_sha1", False, False, True),
    ("jane+chat@example.com", "plus and at are fine", "bcrypt", False, False, True),
    ("élodie", "accents are fine", "md5", False, False, True),
    ("名前", "so are other scripts", "pbkdf2_sha256", False, False, True),
    ("marie²", "superscripts are not", "pbkdf2_sha256", False, False, True),
    ("john doe", "spaces are not", "pbkdf2_sha256", False, False, True),
    ("<script>alert(1)</script>", "nor is markup", "pbkdf2_sha256", False, False, True),
    ("x" * 150, "150 characters are fine", "pbkdf2_sha256", False, False, True),
    ("gone", "an inactive account", "pbkdf2_sha256", False, False, False),
    ("nopass", None, None, False, False, True),  # set_unusable_password
    ("legacy", "a crypt(3) password", "crypt", False, False, True),
]

# Room names as the original stores them: anything up to 200 characters,
# created on first visit by get_or_create(name=...) (so case and trailing
# spaces make different rooms), or twice under one name by a race.
ROOMS = [
    "general",
    "General",
    "general ",
    "my room",
    "café ☕",
    "日本語",
    "../etc",
    "<script>alert(1)</script>",
    "a/b",
    "100% off?x=1#y",
    "r" * 200,
    "dup",
    "dup",
    "   ",
    "--",
    "2024-03",
]

START = datetime.datetime(2024, 3, 1, 9, 0, 0, tzinfo=UTC)


def main():
    manifest = []
    users = []
    for name, password, hasher, staff, superuser, active in USERS:
        u = User(username=name, is_staff=staff, is_superuser=superuser,
                 is_active=active, email="")
        if password is None:
            u.set_unusable_password()
        else:
            h = HASHERS[hasher]
            u.password = h.encode(password, h.salt())
        u.save()
        users.append(u)
        manifest.append({"username": name, "password": password, "hasher": hasher,
                         "staff": staff or superuser, "active": active})

    rooms = [Room.objects.create(name=n) for n in ROOMS]

    # Messages: every user writes in every room, in an interleaved order,
    # with timestamps that rise with the ids (auto_now_add sets them on
    # save; they are rewritten to fixed UTC times so the fixture is stable).
    texts = [
        "hello",
        "<b>bold?</b> <script>alert('x')</script>",
        "two\nlines",
        "emoji 🎉 and ünïcödé",
        "",
        "y" * 512,
    ]
    n = 0
    for r_i, room in enumerate(rooms):
        for u_i, user in enumerate(users):
            if (r_i + u_i) % 3 != 0:
                continue
            text = texts[n % len(texts)]
            m = Message.objects.create(user=user, room=room, content=f"{text}" if text else "")
            at = START + datetime.timedelta(minutes=7 * n, microseconds=(n * 137) % 1000000 if n % 2 else 0)
            Message.objects.filter(pk=m.pk).update(timestamp=at)
            n += 1

    here = os.environ["FIXTURE_DIR"]
    if os.environ.get("FIXTURE_MANIFEST", "1") == "1":
        with open(os.path.join(here, "users.json"), "w", encoding="utf-8") as f:
            json.dump(manifest, f, ensure_ascii=False, indent=1)
            f.write("\n")
    print(f"{len(users)} users, {len(rooms)} rooms, {n} messages")


main()
