package views

import "time"

// Styleguide is the sample data the styleguide page draws its components
// with. Change it freely: nothing but /styleguide reads it.
type Styleguide struct {
	Me       Viewer
	Rooms    []RoomItem
	Current  string
	Log      []MessageView
	Online   []Member
	Signup   SignupForm
	Login    LoginForm
	RoomName string
	RoomErr  string
	Draft    string
	DraftErr string
	Notice   string
}

// SampleStyleguide is a small conversation: two days, grouped messages, a
// link, a long line, several lines, formatting and a mention, and the
// reader's own messages.
func SampleStyleguide() Styleguide {
	today := time.Now().Truncate(time.Minute)
	yesterday := today.Add(-24 * time.Hour)
	ann := Member{UserID: 1, Name: "ann"}
	bo := Member{UserID: 2, Name: "bo"}
	chen := Member{UserID: 3, Name: "chen"}
	msg := func(id int64, who Member, at time.Time, text string) MessageView {
		return MessageView{ID: id, AuthorID: who.UserID, Author: who.Name, Content: text, At: at}
	}
	reply := func(m, to MessageView) MessageView {
		m.ReplyTo = &QuoteView{ID: to.ID, Author: to.Author, Text: Gist(to.Content, QuoteLength)}
		m.EditedAt = m.At.Add(30 * time.Second)
		m.Reactions = []ReactionView{
			{Emoji: "👍", IDs: []int64{ann.UserID, bo.UserID}, Names: []string{ann.Name, bo.Name}},
			{Emoji: "🎉", IDs: []int64{bo.UserID}, Names: []string{bo.Name}},
		}
		return m
	}
	return Styleguide{
		Me:      Viewer{UserID: ann.UserID, Name: ann.Name, LoggedIn: true},
		Current: "general",
		Rooms: []RoomItem{
			{ID: 1, Name: "design", Online: 0, Unread: 4, Mentions: 1},
			{ID: 2, Name: "general", Online: 3},
			{ID: 3, Name: "help", New: true},
			{ID: 4, Name: "random", Online: 1},
		},
		Log: []MessageView{
			msg(1, bo, yesterday.Add(-10*time.Minute), "Anyone around for the review tomorrow?"),
			msg(2, chen, yesterday.Add(-8*time.Minute), "I am. Notes are here: https://example.com/review-notes"),
			msg(3, chen, yesterday.Add(-7*time.Minute), "(see the part about the pill)"),
			msg(4, ann, today.Add(-30*time.Minute), "Morning! Three things for today:\n1. ship the styleguide\n2. check contrast in the light theme\n3. coffee"),
			msg(5, ann, today.Add(-29*time.Minute), "Also: a very long word to test wrapping, Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung."),
			msg(6, bo, today.Add(-2*time.Minute), "On it. <b>This is not bold</b>, it is text."),
			reply(msg(7, chen, today.Add(-time.Minute), "Contrast is fine in both themes now."), msg(4, ann, today, "Morning! Three things for today:")),
			withMentions(msg(8, chen, today.Add(-time.Minute), "**Formatting**, as in Discord: _italic_, ~~struck~~, `code`, ||a spoiler|| and a mention of @ann, who sees it stand out.\n```\nfunc main() {\n\tfmt.Println(\"a code block\")\n}\n```\n> a quote"), ann),
		},
		Online: []Member{ann, bo, chen, {UserID: 9, Name: "deploybot", Bot: true}},
		Signup: SignupForm{Username: "ann", NoAutofocus: true, Errors: FieldErrors{
			"username":  {"A user with that username already exists."},
			"password2": {"The two password fields didn’t match."},
		}},
		Login:    LoginForm{Username: "ann", NoAutofocus: true, Error: "Please enter a correct username and password. Note that the password is case-sensitive."},
		RoomName: "no!",
		RoomErr:  "Room names may contain only letters, digits, _ and -.",
		Notice:   "Room names have no # or spaces: “my room” is #my-room.",
		Draft:    "a half-written thought that was too lo",
		DraftErr: "A message is at most 512 characters.",
	}
}

func withMentions(m MessageView, who ...Member) MessageView {
	m.Mentioned = who
	return m
}
