package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// tapTargetsJS lists the controls on the page smaller than 44×44 CSS px,
// the size a finger can hit (WCAG 2.5.5). Links inside a line of text are
// exempt, as WCAG has them, and so is what is not shown: hidden, clipped
// to a pixel for screen readers, or parked above the page (the skip link
// until it has the focus).
const tapTargetsJS = `(() => {
  const small = [];
  for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")) {
    const s = getComputedStyle(el);
    if (s.display === "inline" || s.visibility === "hidden") continue;
    if (el.closest("[hidden], .visually-hidden")) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || r.bottom + scrollY <= 0) continue; // clipped for screen readers
    if (r.width < 43.5 || r.height < 43.5) {
      small.push((el.id ? "#" + el.id : el.tagName.toLowerCase() + "." + [...el.classList].join(".")) +
        " «" + (el.textContent.trim() || el.getAttribute("aria-label") || el.name || "").slice(0, 24) + "» " +
        Math.round(r.width) + "×" + Math.round(r.height));
    }
  }
  return small;
})()`

// tapTargets fails the test for every control on the page a finger would
// find too small.
func (tb *tab) tapTargets(page string) {
	tb.t.Helper()
	for _, s := range eval[[]string](tb, tapTargetsJS) {
		tb.t.Errorf("%s: tap target under 44 px: %s", page, s)
	}
}

// unreadDotVisible fails the test unless the first unread room in the
// sidebar shows its marker whole: a round dot within the sidebar and, on a
// phone, where the sidebar is a strip of chips, inside its chip.
func (tb *tab) unreadDotVisible(where string, inChip bool) {
	tb.t.Helper()
	problem := eval[string](tb, `((inChip) => {
	  const li = document.querySelector(".sidebar .room-link.unread");
	  if (!li) return "no unread room in the strip";
	  li.scrollIntoView({block: "nearest", inline: "nearest"});
	  const dot = getComputedStyle(li.querySelector("a"), "::before");
	  const chip = li.getBoundingClientRect(), strip = document.querySelector(".sidebar").getBoundingClientRect();
	  const left = chip.left + parseFloat(dot.left), right = left + parseFloat(dot.width);
	  if (dot.content === "none" || !(parseFloat(dot.width) > 0)) return "no marker";
	  if (dot.borderTopLeftRadius !== dot.borderTopRightRadius) return "the marker is half a dot (" + dot.borderRadius + ")";
	  if (inChip && (left < chip.left || right > chip.right)) return "the marker sticks out of its chip: " + left + ".." + right + " in " + chip.left + ".." + chip.right;
	  if (left < strip.left || right > strip.right) return "the marker is cut off by the sidebar: " + left + ".." + right + " in " + strip.left + ".." + strip.right;
	  return "";
	})(`+fmt.Sprint(inChip)+`)`)
	if problem != "" {
		tb.t.Errorf("unread marker, %s: %s", where, problem)
	}
}

// longRoom is a room name of the longest length accepted (100, as the
// importer and Discord allow), with no place to break it.
var longRoom = "Long" + strings.Repeat("x", 92) + "name"

// longUser is a username of the longest length accepted (150).
var longUser = "Someone" + strings.Repeat("y", 139) + "long"

// TestLongNamesKeepTheLayout: a 100-character room name and a
// 150-character username, with nowhere to break, at desktop and phone
// width: nothing runs into the next column or off the page; where a name
// is cut short (a line of the app's chrome, a message's author), its title
// holds it whole; where it wraps (the welcome heading, "Create #name?",
// admin) it stays in its box; the admin table keeps its Delete buttons in
// view.
func TestLongNamesKeepTheLayout(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	seed.room("general")
	seed.say(longRoom, longUser, time.Now().Add(-time.Minute), "A name can be long.")
	seed.staff("sam")
	seed.user(longUser)
	b := newBrowser(t)
	long := b.open(app, longUser)
	long.login()
	long.enterRoom(longRoom)
	sam := b.open(app, "sam")
	sam.login()
	sam.enterRoom(longRoom)
	sam.waitFor("the long-named user online", onlineHas(longUser), 10*time.Second)

	// inside: the element's box is within the container's, and (for text
	// that wraps rather than being cut short) its text within its box.
	inside := func(tb *tab, what, sel, container string, wraps bool) {
		t.Helper()
		got := eval[string](tb, fmt.Sprintf(`(() => {
		  const el = document.querySelector(%q), box = document.querySelector(%q);
		  if (!el || !box) return "missing";
		  const r = el.getBoundingClientRect(), c = box.getBoundingClientRect();
		  if (r.left < c.left - 1 || r.right > c.right + 1) return "from " + r.left + " to " + r.right + ", outside " + c.left + ".." + c.right;
		  if (%v && el.scrollWidth > el.clientWidth + 1) return "has text " + el.scrollWidth + " px wide in " + el.clientWidth;
		  return "";
		})()`, sel, container, wraps))
		if got != "" {
			t.Errorf("%s: %s %s", tb.name, what, got)
		}
	}
	cut := func(tb *tab, what, sel, full string) {
		t.Helper()
		got := eval[string](tb, fmt.Sprintf(`(() => { const el = document.querySelector(%q); return el ? (el.scrollWidth > el.clientWidth) + " " + (el.title || el.closest("[title]")?.title) : "missing" })()`, sel))
		if got != "true "+full {
			t.Errorf("%s: %s: cut short and titled? %q", tb.name, what, got)
		}
	}
	for _, width := range []int{1280, 390} {
		sam.do(chromedp.EmulateViewport(int64(width), 844))
		sam.waitFor(fmt.Sprint("width ", width), fmt.Sprintf("window.innerWidth === %d", width), 5*time.Second)
		page := fmt.Sprintf("room with long names at %d px", width)
		sam.noSidewaysScroll(page)
		inside(sam, "the welcome heading", ".room-start h2", ".chat", true)
		inside(sam, "the room's title", "#room-title", ".chat-header", false)
		inside(sam, "the message author", ".msg .author", ".msg", false)
		cut(sam, "the message author", ".msg .author", longUser)
		if width == 1280 { // (at phone width the online list scrolls sideways)
			inside(sam, "the long name in the online list", "#online-"+itoa64(seed.user(longUser).ID)+" .member-name", ".members", false)
		}
		cut(sam, "the room's title", ".room-title-name", longRoom)
		cut(sam, "the online entry", "#online-"+itoa64(seed.user(longUser).ID)+" .member-name", longUser)
		if width == 1280 {
			inside(sam, "the room in the sidebar", `.room-link[data-room-name="`+longRoom+`"] a`, ".sidebar", false)
			cut(sam, "the room in the sidebar", `.room-link[data-room-name="`+longRoom+`"] .room-name`, "#"+longRoom)
		}

		sam.goTo("/chat/")
		sam.noSidewaysScroll(fmt.Sprintf("rooms list at %d px", width))
		cut(sam, "the room in the list", `.room-card[data-room-name="`+longRoom+`"] .room-name`, "#"+longRoom)

		sam.goTo("/chat/" + longRoom[:99] + "z/")
		sam.noSidewaysScroll(fmt.Sprintf("Create #name? at %d px", width))
		inside(sam, "the Create question", "[data-testid=create-room-title]", ".create-room", true)

		sam.goTo("/admin/")
		admin := fmt.Sprintf("admin at %d px", width)
		sam.noSidewaysScroll(admin)
		for _, table := range []string{"admin-rooms", "admin-messages", "admin-users"} {
			inside(sam, table, "[data-testid="+table+"]", "main", true)
		}
		if n := eval[int](sam, `document.querySelectorAll(".admin-table a[aria-label^='Delete']").length`); n < 3 {
			t.Fatalf("%s: %d Delete buttons, want one per room and message", admin, n)
		}
		if off := eval[[]string](sam, `[...document.querySelectorAll(".admin-table a[aria-label^='Delete']")].filter(b => { const r = b.getBoundingClientRect(); const t = b.closest("table").getBoundingClientRect(); return r.right > Math.min(innerWidth, t.right) || r.left < t.left || r.width < 40 }).map(b => b.getAttribute("aria-label"))`); len(off) > 0 {
			t.Errorf("%s: Delete buttons cut off: %q", admin, off)
		}
		if width == 390 {
			sam.tapTargets(admin)
		}
		sam.clickAndLoad(`[aria-label="Delete room ` + longRoom + `"]`)
		sam.noSidewaysScroll(fmt.Sprintf("the room's delete confirmation at %d px", width))
		inside(sam, "the confirmation's question", "[data-testid=confirm-title]", ".admin-confirm .card", true)
		sam.goTo("/chat/" + longRoom + "/")
		sam.waitLive()
	}
	long.do(chromedp.EmulateViewport(390, 844))
	long.waitFor("the phone layout", `window.innerWidth === 390`, 5*time.Second)
	long.noSidewaysScroll("the long-named user's room at 390 px")
	inside(long, "the navbar's name", "[data-testid=whoami]", ".navbar", false)
	cut(long, "the navbar's name", "[data-testid=whoami]", longUser)
	long.tapTargets("the long-named user's room at 390 px")
}
