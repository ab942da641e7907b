package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/minidiscord/minidiscord/models"
)

// sayReply stores a message answering another.
func (s *seeder) sayReply(room, who string, at time.Time, text string, replyTo int64) int64 {
	s.t.Helper()
	u := s.user(who)
	m := &models.Message{RoomID: s.room(room).ID, UserID: u.ID, Content: text, CreatedAt: at.UTC(), User: u, ReplyToID: replyTo}
	if err := s.w.Post(s.t.Context(), m); err != nil {
		s.t.Fatal(err)
	}
	return m.ID
}

// msgWith is the DOM id of the message showing text ("" if none).
func (tb *tab) msgWith(text string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`(() => { const p = [...document.querySelectorAll("[data-testid=message-content]")].find(p => p.textContent === %q); return p ? p.closest(".msg").id : "" })()`, text))
}

// act uses one of a message's actions from the keyboard, as a person
// tabbing to it would: focus it (which shows the bar) and press Enter.
func (tb *tab) act(msgID, action string) {
	tb.t.Helper()
	sel := "#" + msgID + " .act-" + action
	tb.do(chromedp.Focus(chromedp.CSS(sel)), chromedp.KeyEvent("\r"))
}

// shows reports whether the element is displayed (not display: none).
func shows(tb *tab, sel string) bool {
	tb.t.Helper()
	return eval[bool](tb, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && getComputedStyle(e).display !== "none" })()`, sel))
}

// TestEditAndDelete: ann edits her message in place (Up in the empty
// composer, Escape cancels, Enter saves) while bo reacts to it; bo sees
// the edit live, with "(edited)"; bo cannot edit or delete it; ann deletes
// it and it leaves both pages, bo's reply then quoting "deleted message".
func TestEditAndDelete(t *testing.T) {
	app := startApp(t, appConfig{})
	b := newBrowser(t)
	app.seeder().room("general")
	ann, bo := b.open(app, "ann"), b.open(app, "bo")
	ann.signup()
	bo.signup()
	ann.enterRoom("general")
	bo.enterRoom("general")
	ann.say("helo wrold")
	bo.waitForMessage("helo wrold")
	id := ann.msgWith("helo wrold")

	// Only the author is offered Edit and Delete.
	if !shows(ann, "#"+id+" .act-edit") || !shows(ann, "#"+id+" .act-delete") {
		t.Error("ann is not offered Edit and Delete on her own message")
	}
	if shows(bo, "#"+id+" .act-edit") || shows(bo, "#"+id+" .act-delete") {
		t.Error("bo is offered Edit or Delete on ann's message")
	}

	// Up in the empty composer opens the last own message for editing.
	ann.do(chromedp.Focus(chromedp.ID("message-input")), chromedp.KeyEvent(kb.ArrowUp))
	ann.waitFor("the edit box, focused", `document.activeElement.matches("#`+id+`.editing textarea")`, 10*time.Second)
	if got := eval[string](ann, `document.activeElement.value`); got != "helo wrold" {
		t.Errorf("the edit box holds %q", got)
	}
	// A live change while the box is open waits for it to close.
	bo.act(id, "react")
	bo.waitFor("the picker", `!!document.querySelector("#react-popover button[value='👍']")`, 10*time.Second)
	bo.do(chromedp.Click(chromedp.CSS(`#react-popover button[value='👍']`)))
	bo.waitFor("bo's 👍", `document.querySelector("#`+id+` .reaction[data-emoji='👍'] .reaction-count")?.textContent === "1"`, 10*time.Second)
	ann.waitFor("the update to wait beside the box", `!!document.getElementById("`+id+`").dataset.pending`, 10*time.Second)
	if !eval[bool](ann, `!!document.querySelector("#`+id+`.editing textarea")`) {
		t.Fatal("a live update replaced ann's edit box")
	}
	// Escape cancels, and what waited is shown.
	ann.do(chromedp.KeyEvent(kb.Escape))
	ann.waitFor("the message back, with bo's 👍", `!document.querySelector("#`+id+`.editing") && document.querySelector("#`+id+` .reaction[data-emoji='👍']")?.textContent.includes("1")`, 10*time.Second)
	if got := eval[string](ann, `document.activeElement.id`); got != "message-input" {
		t.Errorf("after Escape the focus is on %q, want the composer", got)
	}
	if got := ann.contents(); len(got) != 1 || got[0] != "helo wrold" {
		t.Errorf("after cancelling ann sees %q", got)
	}

	// Edit from the message's bar; Enter saves.
	ann.act(id, "edit")
	ann.waitFor("the edit box", `document.activeElement.matches("#`+id+` textarea")`, 10*time.Second)
	ann.do(chromedp.Evaluate[chromedp.Void](`document.activeElement.select()`), chromedp.SendKeys(chromedp.CSS("#"+id+" textarea"), "hello world"), chromedp.KeyEvent("\r"))
	for _, tb := range []*tab{ann, bo} {
		tb.waitForMessage("hello world")
		tb.waitFor("(edited)", `!!document.querySelector("#`+id+` [data-testid=edited]")`, 10*time.Second)
		if !eval[bool](tb, `document.querySelector("#`+id+` [data-testid=edited] time").title.startsWith("Edited ")`) {
			t.Errorf("%s: (edited) has no time in its tooltip", tb.name)
		}
		if got := eval[string](tb, `document.querySelector("#`+id+` .reaction-count")?.textContent`); got != "1" {
			t.Errorf("%s: after the edit the message counts %q 👍, want bo's 1", tb.name, got)
		}
	}

	// bo answers it; then ann deletes it, after confirming in place.
	bo.act(id, "reply")
	bo.do(chromedp.SendKeys(chromedp.ID("message-input"), "agreed"), chromedp.KeyEvent("\r"))
	ann.waitForMessage("agreed")
	reply := ann.msgWith("agreed")
	ann.act(id, "delete")
	ann.waitFor("the confirmation", `document.activeElement.matches("#`+id+`.editing .delete-form button[type=submit]")`, 10*time.Second)
	ann.do(chromedp.Click(chromedp.CSS("#" + id + " .delete-form button[type=submit]")))
	for _, tb := range []*tab{ann, bo} {
		tb.waitFor("the message to go", `!document.getElementById("`+id+`")`, 10*time.Second)
		tb.waitFor("the reply's quote to say so", `document.querySelector("#`+reply+` [data-testid=quote]")?.textContent.includes("deleted message")`, 10*time.Second)
		if got := tb.contents(); len(got) != 1 || got[0] != "agreed" {
			t.Errorf("%s sees %q after the deletion", tb.name, got)
		}
	}
	// A reload agrees.
	bo.do(chromedp.Reload())
	bo.waitLive()
	if got := eval[string](bo, `document.querySelector("#`+reply+` [data-testid=quote]").textContent`); !strings.Contains(got, "deleted message") {
		t.Errorf("after a reload the quote reads %q", got)
	}
}

// TestReplyAndJump: bo answers a message with the Reply action; ann sees the
// quote and, clicking it, lands on the original. A quote of a message older
// than the page has loaded opens the room around it, highlighted, whose
// stream still brings changes.
func TestReplyAndJump(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	at := time.Now().Add(-3 * time.Hour)
	first := seed.say("general", "dana", at, "the very first message")
	for i := range 70 {
		seed.say("general", "dana", at.Add(time.Duration(i+1)*time.Minute), "filler "+strconv.Itoa(i+1))
	}
	seed.sayReply("general", "cy", at.Add(2*time.Hour), "replying to the start", first)
	seed.say("general", "dana", at.Add(2*time.Hour+time.Minute), "lunch at one?")
	seed.user("ann")
	seed.user("bo")
	b := newBrowser(t)
	ann, bo := b.open(app, "ann"), b.open(app, "bo")
	ann.login()
	bo.login()
	ann.enterRoom("general")
	bo.enterRoom("general")

	lunch := bo.msgWith("lunch at one?")
	bo.act(lunch, "reply")
	bo.waitFor("the reply bar", `!document.getElementById("reply-bar").hidden`, 5*time.Second)
	if got := eval[string](bo, `document.getElementById("reply-bar").textContent.replace(/\s+/g, " ").trim()`); !strings.HasPrefix(got, "Replying to dana: lunch at one?") {
		t.Errorf("the reply bar reads %q", got)
	}
	if got := eval[string](bo, `document.activeElement.id`); got != "message-input" {
		t.Errorf("Reply leaves the focus on %q, want the composer", got)
	}
	bo.do(chromedp.SendKeys(chromedp.ID("message-input"), "sure"), chromedp.KeyEvent("\r"))
	ann.waitForMessage("sure")
	answer := ann.msgWith("sure")
	if got := eval[string](ann, `document.querySelector("#`+answer+` [data-testid=quote]").textContent.replace(/\s+/g, " ").trim()`); got != "Reply to dana lunch at one?" {
		t.Errorf("ann sees the quote %q", got)
	}
	bo.waitFor("the reply bar to close", `document.getElementById("reply-bar").hidden && document.getElementById("reply-to").disabled`, 5*time.Second)

	// A quote of a message on the page jumps to it.
	ann.do(chromedp.Click(chromedp.CSS("#" + answer + " [data-testid=quote]")))
	ann.waitFor("the original, focused", `document.activeElement.id === "`+lunch+`" && document.activeElement.classList.contains("flash")`, 5*time.Second)
	if !eval[bool](ann, `location.search === ""`) {
		t.Error("jumping to a loaded message left the page")
	}

	// One older than the page: the room opens around it.
	old := ann.msgWith("replying to the start")
	firstID := "msg-" + strconv.FormatInt(first, 10)
	if eval[bool](ann, `!!document.getElementById("`+firstID+`")`) {
		t.Fatal("the first message is loaded already; the test needs it not to be")
	}
	ann.do(chromedp.Click(chromedp.CSS("#" + old + " [data-testid=quote]")))
	ann.waitFor("the room around the first message", `location.search === "?around=`+strconv.FormatInt(first, 10)+`" && document.querySelector(".msg.highlight")?.id === "`+firstID+`"`, 10*time.Second)
	ann.waitLive()
	if !eval[bool](ann, `(() => { const r = document.getElementById("`+firstID+`").getBoundingClientRect(), l = document.getElementById("log").getBoundingClientRect(); return r.top >= l.top && r.bottom <= l.bottom })()`) {
		t.Error("the highlighted message is not in view")
	}
	if got := ann.contents(); got[0] != "the very first message" || got[len(got)-1] != "filler 25" {
		t.Errorf("around the first message ann sees %q … %q, want it and the 25 after", got[0], got[len(got)-1])
	}
	if !eval[bool](ann, `!!document.querySelector(".room-start") && !!document.getElementById("latest-link")`) {
		t.Error("the page around the first message lacks the start of the room or the way to the latest")
	}
	// Its stream works: a reaction to the first message arrives; a new
	// message, beyond the gap, does not join the log but is announced.
	bo.goTo("/messages/" + strconv.FormatInt(first, 10))
	bo.waitLive()
	bo.act(firstID, "react")
	bo.waitFor("the picker", `!!document.querySelector("#react-popover button[value='🙏']")`, 10*time.Second)
	bo.do(chromedp.Click(chromedp.CSS(`#react-popover button[value='🙏']`)))
	ann.waitFor("bo's 🙏, live", `document.querySelector("#`+firstID+` .reaction[data-emoji='🙏'] .reaction-count")?.textContent === "1"`, 10*time.Second)
	if !eval[bool](ann, `document.getElementById("`+firstID+`").classList.contains("highlight")`) {
		t.Error("the live update lost the highlight")
	}
	bo.goTo("/chat/general/")
	bo.waitLive()
	bo.say("anyone?")
	ann.waitFor("news of newer messages", `document.getElementById("newer-gap").classList.contains("has-new")`, 10*time.Second)
	if ann.msgWith("anyone?") != "" {
		t.Error("a new message joined the log beyond the gap")
	}
	ann.do(chromedp.Click(chromedp.ID("latest-link")))
	ann.waitLive()
	ann.waitForMessage("anyone?")
}

// TestReactions: bo reacts from the picker, ann adds hers by clicking the
// reaction, bo takes his back; both see the counts live, each sees their
// own marked, and the title names who reacted.
func TestReactions(t *testing.T) {
	app := startApp(t, appConfig{})
	b := newBrowser(t)
	app.seeder().room("general")
	ann, bo := b.open(app, "ann"), b.open(app, "bo")
	ann.signup()
	bo.signup()
	ann.enterRoom("general")
	bo.enterRoom("general")
	ann.say("we shipped!")
	bo.waitForMessage("we shipped!")
	id := bo.msgWith("we shipped!")
	chip := "#" + id + " .reaction[data-emoji='🎉']"

	// The picker opens beside the message, the keys move through it, and
	// Escape closes it.
	bo.act(id, "react")
	bo.waitFor("the picker, focused", `document.activeElement.matches("#react-popover button[value='👍']")`, 10*time.Second)
	bo.do(chromedp.KeyEvent(kb.ArrowRight))
	if got := eval[string](bo, `document.activeElement.value`); got != "❤️" {
		t.Errorf("ArrowRight moves to %q, want ❤️", got)
	}
	if n := eval[int](bo, `document.querySelectorAll("#react-popover button").length`); n != 8 {
		t.Errorf("the picker offers %d reactions, want 8", n)
	}
	bo.do(chromedp.KeyEvent(kb.Escape))
	bo.waitFor("the picker to close, the focus back on React", `!document.getElementById("react-popover") && document.activeElement.matches("#`+id+` .act-react")`, 5*time.Second)

	bo.act(id, "react")
	bo.waitFor("the picker", `!!document.querySelector("#react-popover button[value='🎉']")`, 10*time.Second)
	bo.do(chromedp.Click(chromedp.CSS(`#react-popover button[value='🎉']`)))
	for _, tb := range []*tab{ann, bo} {
		tb.waitFor("🎉 1", `document.querySelector("`+chip+` .reaction-count")?.textContent === "1"`, 10*time.Second)
	}
	if !eval[bool](bo, `document.querySelector("`+chip+`").getAttribute("aria-pressed") === "true"`) {
		t.Error("bo's own reaction is not marked on his page")
	}
	if eval[bool](ann, `document.querySelector("`+chip+`").classList.contains("mine")`) {
		t.Error("bo's reaction is marked as ann's")
	}
	if got := eval[string](ann, `document.querySelector("`+chip+`").title`); got != "bo reacted with 🎉" {
		t.Errorf("the reaction's title is %q", got)
	}

	// ann adds hers with one click; bo takes his back.
	ann.do(chromedp.Click(chromedp.CSS(chip)))
	for _, tb := range []*tab{ann, bo} {
		tb.waitFor("🎉 2", `document.querySelector("`+chip+` .reaction-count")?.textContent === "2"`, 10*time.Second)
	}
	if got := eval[string](bo, `document.querySelector("`+chip+`").title`); got != "bo and ann reacted with 🎉" {
		t.Errorf("the reaction's title is %q", got)
	}
	if !eval[bool](ann, `document.querySelector("`+chip+`").classList.contains("mine")`) {
		t.Error("ann's reaction is not marked on her page")
	}
	bo.do(chromedp.Click(chromedp.CSS(chip)))
	for _, tb := range []*tab{ann, bo} {
		tb.waitFor("🎉 1 again", `document.querySelector("`+chip+` .reaction-count")?.textContent === "1"`, 10*time.Second)
	}
	if eval[bool](bo, `document.querySelector("`+chip+`").classList.contains("mine")`) || !eval[bool](ann, `document.querySelector("`+chip+`").classList.contains("mine")`) {
		t.Error("after bo took his back, the marks are wrong")
	}
	// A reload agrees.
	ann.do(chromedp.Reload())
	ann.waitLive()
	if got := eval[string](ann, `document.querySelector("`+chip+`").title + " " + document.querySelector("`+chip+`").getAttribute("aria-pressed")`); got != "ann reacted with 🎉 true" {
		t.Errorf("after a reload: %q", got)
	}
}

// TestActionsWithoutJavaScript: with scripts off, cy edits and deletes her
// message, reacts to bo's and answers it, all with plain links and forms.
func TestActionsWithoutJavaScript(t *testing.T) {
	app := startApp(t, appConfig{})
	seed := app.seeder()
	at := time.Now().Add(-time.Hour)
	bos := seed.say("general", "bo", at, "who is in?")
	cys := seed.say("general", "cy", at.Add(time.Minute), "me, probaly")
	b := newBrowser(t)
	cy := b.open(app, "cy")
	cy.do(noScripts())
	cy.login()
	cy.goTo("/chat/general/")
	bo, mine := "#msg-"+strconv.FormatInt(bos, 10), "#msg-"+strconv.FormatInt(cys, 10)
	// The server marks cy's own message, so the bar offers her the right
	// actions with no script to do it.
	if !shows(cy, mine+" .act-edit") || shows(cy, bo+" .act-edit") || shows(cy, bo+" .act-delete") {
		t.Error("without JavaScript the action bars offer the wrong actions")
	}

	// Edit: a page with the form, then back to the room.
	cy.keyAndLoad(mine + " .act-edit")
	if got := cy.texts("textarea[name=message]"); len(got) != 1 || got[0] != "me, probaly" {
		t.Errorf("the edit page holds %q", got)
	}
	cy.do(chromedp.Clear(chromedp.CSS("textarea[name=message]")))
	cy.typeInto("edit-input-"+strconv.FormatInt(cys, 10), "me, probably")
	cy.clickAndLoad(".edit-form button[type=submit]")
	if got := cy.texts(mine + " [data-testid=message-content]"); len(got) != 1 || got[0] != "me, probably" || cy.count(mine+" [data-testid=edited]") != 1 {
		t.Errorf("after editing the room shows %q", got)
	}

	// React: a page with the set, then back.
	cy.keyAndLoad(bo + " .act-react")
	cy.clickAndLoad(`.react-picker button[value="👀"]`)
	if got := strings.Join(strings.Fields(cy.text(bo+` .reaction[data-emoji="👀"]`)), " "); !strings.HasPrefix(got, "👀 1") || cy.count(bo+` .reaction.mine[aria-pressed="true"]`) != 1 {
		t.Errorf("after reacting bo's message shows %q", got)
	}
	// And a click on the reaction takes it back.
	cy.clickAndLoad(bo + ` .reaction[data-emoji="👀"]`)
	if cy.count(bo+" .reaction") != 0 {
		t.Error("the reaction is still there after taking it back")
	}

	// Reply: the room with the composer answering, then the reply.
	cy.keyAndLoad(bo + " .act-reply")
	if got := cy.text("#reply-bar .reply-what"); !strings.Contains(got, "Replying to bo") {
		t.Errorf("the reply bar reads %q", got)
	}
	cy.typeInto("message-input", "count me in")
	cy.clickAndLoad("#message-form button[type=submit]")
	if got := cy.texts(".msg:last-child [data-testid=quote] .quote-text"); len(got) != 1 || got[0] != "who is in?" {
		t.Errorf("the reply quotes %q", got)
	}
	if cy.count("#reply-bar[hidden]") != 1 {
		t.Error("after sending, the composer still answers")
	}

	// Delete: a confirmation page, then back, the message gone.
	cy.keyAndLoad(mine + " .act-delete")
	cy.clickAndLoad(".delete-form button[type=submit]")
	if cy.count(mine) != 0 {
		t.Error("the deleted message is still shown")
	}
}

// keyAndLoad focuses a link (which shows its action bar) and follows it
// with Enter, as a keyboard does, waiting for the new page.
func (tb *tab) keyAndLoad(sel string) {
	tb.t.Helper()
	tb.do(chromedp.Focus(chromedp.CSS(sel)))
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.KeyEvent("\r")); err != nil {
		tb.t.Fatalf("%s: Enter on %s: %v", tb.name, sel, err)
	}
}
