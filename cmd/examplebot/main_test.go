package main

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minidiscord/minidiscord/handlers"
	"github.com/minidiscord/minidiscord/models"
)

// TestExampleBotAnswersPing runs the example bot against a real server
// (handlers.NewApp on SQLite) and
// checks that a person's "!ping" gets the bot's "pong" in the room.
func TestExampleBotAnswersPing(t *testing.T) {
	ctx := t.Context()
	store, err := models.Open(ctx, filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	app, err := handlers.NewApp(ctx, handlers.AppConfig{Store: store,
		Handler: handlers.Config{SessionKey: []byte(strings.Repeat("k", 32)), PasswordCost: 4}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app.Routes())
	defer app.Close()
	defer srv.Close()
	defer app.Hub.Close()

	room, err := store.GetOrCreateRoom(ctx, "general")
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := store.CreateBot(ctx, "pingbot")
	if err != nil {
		t.Fatal(err)
	}
	botCtx, stop := context.WithCancel(ctx)
	defer stop()
	go run(botCtx, srv.URL, "general", token)

	// A person, through the forms.
	jar, _ := cookiejar.New(nil)
	ann := &http.Client{Jar: jar}
	pw := "correct horse battery"
	for _, step := range []struct {
		path string
		form url.Values
	}{
		{"/user/signup/", url.Values{"username": {"ann"}, "password1": {pw}, "password2": {pw}}},
		{"/accounts/login/", url.Values{"username": {"ann"}, "password": {pw}}},
	} {
		resp, err := ann.PostForm(srv.URL+step.path, step.form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	waitFor(t, "the bot's stream", func() bool { return app.Hub.Stats().Streams == 1 })
	resp, err := ann.PostForm(srv.URL+"/chat/general/messages", url.Values{"message": {"!ping"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	waitFor(t, "pong", func() bool {
		msgs, err := store.LatestMessages(ctx, room.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		n := len(msgs)
		return n >= 2 && msgs[n-2].Content == "!ping" && msgs[n-2].Author() == "ann" && msgs[n-1].Content == "pong" && msgs[n-1].Author() == "pingbot"
	})
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 10s", what)
		}
	}
}
