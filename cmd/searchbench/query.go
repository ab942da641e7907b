package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/minidiscord/minidiscord/models"
)

// searchKind is a kind of search and examples of it, over what fill writes.
type searchKind struct {
	name    string
	queries []string
	// page2 also measures each query's second page.
	page2 bool
}

var mix = []searchKind{
	{name: "very common word", queries: []string{"the", "and", "you"}, page2: true},
	{name: "common word", queries: []string{"deploy", "review", "meeting"}, page2: true},
	{name: "rare word", queries: []string{"zurich", "lecumeco", "tetemoma"}},
	{name: "no match", queries: []string{"xylophonequartz", "qqqzzz"}},
	{name: "two words", queries: []string{"deploy review", "meeting tomorrow", "cache latency"}},
	{name: "phrase", queries: []string{`"code review"`, `"pull request"`, `"deploy to production"`}},
	{name: "prefix", queries: []string{"revi", "deplo", "migr"}},
	{name: "accents", queries: []string{"cafe", "creme brulee", "naïve"}},
	{name: "CJK, 1-2 characters", queries: []string{"東京", "会议", "서울"}},
	{name: "CJK, 3+ characters", queries: []string{"デプロイ", "お願いします", "감사합니다"}},
	{name: "in:", queries: []string{"deploy in:#general", "review in:#team-40", "in:#team-45"}},
	{name: "from:", queries: []string{"from:ann", "deploy from:user0300", "from:user0450"}},
	{name: "dates", queries: []string{"deploy before:2026-03-01", "meeting after:2026-11-20", "after:2026-11-29", "the after:2026-06-01 before:2026-06-03"}},
}

// searcher runs one search and returns how many results its page had and
// the id to continue from (0: no more).
type searcher func(ctx context.Context, q string, before int64) (n int, next int64, err error)

func query(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("query", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "SQLite file or postgres:// URL filled by searchbench fill: search through the Store, in this process")
	base := fs.String("url", "", "or a server's address: log in and GET /search, as a browser would")
	user := fs.String("user", "ann", "who searches")
	rounds := fs.Int("rounds", 30, "times each search runs")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var search searcher
	switch {
	case *db != "":
		s, err := storeSearcher(ctx, *db, *user)
		if err != nil {
			return err
		}
		search = s
	case *base != "":
		s, err := httpSearcher(ctx, *base, *user)
		if err != nil {
			return err
		}
		search = s
	default:
		return fmt.Errorf("query: give -db or -url")
	}

	// One warm-up round, which also finds each second page's cursor.
	cursors := map[string]int64{}
	results := map[string]int{}
	for _, k := range mix {
		for _, q := range k.queries {
			n, next, err := search(ctx, q, 0)
			if err != nil {
				return fmt.Errorf("%q: %w", q, err)
			}
			results[q] = n
			if k.page2 && next > 0 {
				cursors[q] = next
			}
		}
	}
	load := loadAvg()
	byKind := map[string][]time.Duration{}
	var all []time.Duration
	for range *rounds {
		for _, k := range mix {
			for _, q := range k.queries {
				pages := []int64{0}
				if c, ok := cursors[q]; ok {
					pages = append(pages, c)
				}
				for _, before := range pages {
					began := time.Now()
					if _, _, err := search(ctx, q, before); err != nil {
						return fmt.Errorf("%q: %w", q, err)
					}
					d := time.Since(began)
					name := k.name
					if before > 0 {
						name += ", page 2"
					}
					byKind[name] = append(byKind[name], d)
					all = append(all, d)
				}
			}
		}
	}

	fmt.Fprintf(stdout, "%d rounds, load average %s at the start, %s at the end\n\n", *rounds, load, loadAvg())
	fmt.Fprintf(stdout, "| kind | searches (results on page 1) | p50 | p95 | max |\n| --- | --- | --- | --- | --- |\n")
	for _, k := range mix {
		var qs []string
		for _, q := range k.queries {
			qs = append(qs, fmt.Sprintf("`%s` (%d)", q, results[q]))
		}
		names := []string{k.name}
		if k.page2 {
			names = append(names, k.name+", page 2")
		}
		for _, name := range names {
			d := byKind[name]
			what := strings.Join(qs, ", ")
			if strings.HasSuffix(name, "page 2") {
				what = "the same, next page"
			}
			fmt.Fprintf(stdout, "| %s | %s | %s | %s | %s |\n", name, what, ms(pct(d, 50)), ms(pct(d, 95)), ms(pct(d, 100)))
		}
	}
	fmt.Fprintf(stdout, "\nall %d searches: p50 %s, p95 %s, p99 %s, max %s\n", len(all), ms(pct(all, 50)), ms(pct(all, 95)), ms(pct(all, 99)), ms(pct(all, 100)))
	return nil
}

// storeSearcher searches through models.Store, as the handler does
// (parse, search, highlight), without HTTP.
func storeSearcher(ctx context.Context, db, user string) (searcher, error) {
	s, err := models.Open(ctx, db)
	if err != nil {
		return nil, err
	}
	u, err := s.UserByUsername(ctx, user)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, text string, before int64) (int, int64, error) {
		q, err := models.ParseSearch(text, time.Local)
		if err != nil {
			return 0, 0, err
		}
		res, err := s.Search(ctx, u.ID, q, before, 20)
		if err != nil {
			return 0, 0, err
		}
		for _, m := range res.Messages {
			q.Highlight(m.Content)
		}
		var next int64
		if res.More {
			next = res.Messages[len(res.Messages)-1].ID
		}
		return len(res.Messages), next, nil
	}, nil
}

// httpSearcher logs in to a server and GETs its search page.
func httpSearcher(ctx context.Context, base, user string) (searcher, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := c.PostForm(base+"/accounts/login/", url.Values{"username": {user}, "password": {password}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.Request.URL.Path == "/accounts/login/" {
		return nil, fmt.Errorf("log in as %s: refused (status %d)", user, resp.StatusCode)
	}
	return func(ctx context.Context, text string, before int64) (int, int64, error) {
		v := url.Values{"q": {text}}
		if before > 0 {
			v.Set("before", fmt.Sprint(before))
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/search?"+v.Encode(), nil)
		resp, err := c.Do(req)
		if err != nil {
			return 0, 0, err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return 0, 0, err
		}
		if resp.StatusCode != http.StatusOK {
			return 0, 0, fmt.Errorf("status %d", resp.StatusCode)
		}
		page := string(body)
		var next int64
		if i := strings.Index(page, "before="); i >= 0 {
			fmt.Sscanf(page[i+len("before="):], "%d", &next)
		}
		return strings.Count(page, `data-testid="search-result"`), next, nil
	}, nil
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, i-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}
