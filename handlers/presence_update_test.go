package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// onlineEntry applies presence events from s until bob's entry (by DOM id)
// satisfies ok, and returns it: deletions and additions in the order the
// page applies them.
func onlineEntry(t *testing.T, s *stream, id string, ok func(*goquery.Selection) bool) *goquery.Selection {
	t.Helper()
	var entry *goquery.Selection
	for range 20 {
		ev := s.next("presence")
		doc := fragment(t, ev.Data)
		if doc.Find(`li#`+id+`[hx-swap-oob=delete]`).Length() > 0 {
			entry = nil
		}
		if li := doc.Find(`ul li#` + id); li.Length() > 0 {
			entry = li
		}
		if entry != nil && ok(entry) {
			return entry
		}
	}
	t.Fatalf("online entry %s never became what was expected", id)
	return nil
}

// TestOnlineEntryFollowsNameAndPicture: a display name set, and then a
// picture uploaded, show at once in the online list of everyone in the
// room (the entry is redrawn, not added twice: the count stays), escaped,
// and a reload of the page shows the same.
func TestOnlineEntryFollowsNameAndPicture(t *testing.T) {
	a := newApp(t)
	bob, carol := a.user("bob"), a.user("carol")
	a.createRoom(bob, "general")
	watch := a.openStream(carol, "general", "", "")
	watch.next("presence")
	a.openStream(bob, "general", "", "")
	u, err := a.store.UserByUsername(context.Background(), "bob")
	if err != nil {
		t.Fatal(err)
	}
	bobID := "online-" + itoa(u.ID)
	onlineEntry(t, watch, bobID, func(li *goquery.Selection) bool { return li.Find(".member-name").Text() == "bob" })

	const name = `<b>Bob</b> the builder`
	if resp := a.postForm(bob, "/accounts/name/", url.Values{"display_name": {name}}, false); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("set display name: %d %s", resp.StatusCode, readBody(resp))
	}
	ev := onlineEntry(t, watch, bobID, func(li *goquery.Selection) bool { return li.Find(".member-name").Text() == name })
	if ev.Find("b").Length() > 0 {
		t.Error("the display name's markup was not escaped")
	}

	if resp := a.postAvatar(bob, nil, upload{"me.png", pngOf(t, 64, 64)}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload a picture: %d %s", resp.StatusCode, readBody(resp))
	}
	version, _ := a.avatarOf("bob")
	onlineEntry(t, watch, bobID, func(li *goquery.Selection) bool {
		src, _ := li.Find("img.avatar").Attr("src")
		return version > 0 && strings.HasSuffix(src, "?v="+itoa(version))
	})

	doc := a.page(carol, "/chat/general/")
	li := doc.Find("#" + bobID)
	if li.Find(".member-name").Text() != name || li.Find("img.avatar").Length() != 1 {
		t.Errorf("a reload shows bob as %q (picture: %d)", li.Find(".member-name").Text(), li.Find("img.avatar").Length())
	}
	if n := doc.Find("[data-testid=online-count]").Text(); n != "2" {
		t.Errorf("online count %s after the redraws, want 2", n)
	}
}

// TestOnlineListTagsBots: a bot account following a room through its
// stream is listed online with a BOT tag, in the live list and on the
// page; people are not tagged.
func TestOnlineListTagsBots(t *testing.T) {
	a := newApp(t)
	admin, ann := a.staff("admin"), a.user("ann")
	a.createRoom(ann, "general")
	watch := a.openStream(ann, "general", "", "")
	watch.next("presence")
	bot := bearerClient(a.makeBot(admin, "pingbot"))
	a.openStream(bot, "general", "", "")
	id := "online-" + itoa(botID(t, a, "pingbot"))
	li := onlineEntry(t, watch, id, func(*goquery.Selection) bool { return true })
	if li.Find("[data-testid=bot-tag]").Length() != 1 {
		t.Errorf("the bot's live entry is not tagged: %s", li.Text())
	}
	doc := a.page(ann, "/chat/general/")
	if doc.Find("#"+id+" [data-testid=bot-tag]").Length() != 1 {
		t.Error("the bot's entry on the page is not tagged")
	}
	if n := doc.Find("#online-list [data-testid=bot-tag]").Length(); n != 1 {
		t.Errorf("%d entries tagged BOT, want the bot's alone", n)
	}
}
