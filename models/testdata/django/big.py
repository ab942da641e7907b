# Fills a freshly migrated database of the original with BIG_MESSAGES
# messages (default 1,000,000) by 200 users in 50 rooms, through the
# original's ORM (bulk_create), for the import benchmark in
# docs/benchmarks.md. Run by make_big.sh.
import datetime
import os

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction

from chat.models import Message, Room

N = int(os.environ.get("BIG_MESSAGES", "1000000"))
UTC = datetime.timezone.utc
start = datetime.datetime(2023, 1, 1, tzinfo=UTC)
password = make_password("a shared benchmark password")  # hashed once: 260,000 rounds each would take minutes

with transaction.atomic():
    users = User.objects.bulk_create([User(username=f"user{i}", password=password) for i in range(200)])
    rooms = Room.objects.bulk_create([Room(name=f"room {i}") for i in range(50)])
users = list(User.objects.order_by("id"))
rooms = list(Room.objects.order_by("id"))

BATCH = 20000
for lo in range(0, N, BATCH):
    with transaction.atomic():
        Message.objects.bulk_create([
            Message(user=users[i % len(users)], room=rooms[(i * 7) % len(rooms)],
                    content=f"message number {i}: the quick brown fox jumps over the lazy dog",
                    timestamp=start + datetime.timedelta(seconds=i))
            for i in range(lo, min(lo + BATCH, N))
        ])
print(f"{len(users)} users, {len(rooms)} rooms, {Message.objects.count()} messages")
