// Command examplebot is a small bot: it answers "!ping"
// with "pong" in one room. It follows the room's stream (the browser's SSE
// stream, with its token) only to learn that something changed, reads what
// changed as JSON, and posts through the API. docs/bots.md explains it.
//
//	MINIDISCORD_BOT_TOKEN=... go run ./cmd/examplebot -url http://127.0.0.1:8000 -room general
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8000", "the server's address")
	room := flag.String("room", "general", "the room to answer in")
	flag.Parse()
	for {
		err := run(context.Background(), *base, *room, os.Getenv("MINIDISCORD_BOT_TOKEN"))
		log.Printf("stream ended (%v); again in 2s", err)
		time.Sleep(2 * time.Second)
	}
}

// page is what GET /api/rooms/<room>/messages answers.
type page struct {
	Messages []struct {
		ID   int64
		Text string
		Bot  bool
	}
	Next int64
}

// run answers pings until the stream ends or ctx does.
func run(ctx context.Context, base, room, token string) error {
	api := base + "/api/rooms/" + url.PathEscape(room) + "/messages"
	call := func(method, u, body string) (*http.Response, error) {
		req, _ := http.NewRequestWithContext(ctx, method, u, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err == nil && resp.StatusCode >= 300 {
			resp.Body.Close()
			err = fmt.Errorf("%s %s: %s", method, u, resp.Status)
		}
		return resp, err
	}
	var p page
	read := func(after string) error {
		resp, err := call("GET", api+after, "")
		if err == nil {
			defer resp.Body.Close()
			p = page{}
			err = json.NewDecoder(resp.Body).Decode(&p)
		}
		return err
	}
	var seen int64 // the newest message id looked at: older ones are not answered
	if err := read(""); err != nil {
		return err
	}
	for _, m := range p.Messages {
		seen = max(seen, m.ID)
	}
	stream, err := call("GET", base+"/chat/"+url.PathEscape(room)+"/events?after="+strconv.FormatInt(p.Next, 10), "")
	if err != nil {
		return err
	}
	defer stream.Body.Close()
	lines := bufio.NewScanner(stream.Body)
	lines.Buffer(nil, 1<<20)
	for lines.Scan() {
		if !strings.HasPrefix(lines.Text(), "id: ") {
			continue // only a numbered event is a change to a message
		}
		if err := read("?after=" + strconv.FormatInt(p.Next, 10)); err != nil {
			return err
		}
		for _, m := range p.Messages {
			if m.ID > seen && !m.Bot && strings.TrimSpace(m.Text) == "!ping" {
				resp, err := call("POST", api, `{"text": "pong"}`)
				if err != nil {
					return err
				}
				resp.Body.Close()
			}
			seen = max(seen, m.ID)
		}
	}
	return lines.Err()
}
