package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"time"
)

type Segment struct {
	ID        string    `json:"id"`
	Project   string    `json:"project"`
	Text      string    `json:"text"`
	Tokens    int       `json:"tokens"`
	CreatedAt time.Time `json:"created_at"`
}

type store struct {
	mu       sync.RWMutex
	segments map[string]Segment
}

func (s *store) get(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.RLock()
	seg, ok := s.segments[id]
	s.mu.RUnlock()
	if !ok {
		http.Error(w, "no segment "+strconv.Quote(id), http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(seg); err != nil {
		slog.Error("encode", "id", id, "err", err)
	}
}

func main() {
	s := &store{segments: map[string]Segment{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /segments/{id}", s.get)
	srv := &http.Server{Addr: "127.0.0.1:8099", Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("listen", "err", err)
			os.Exit(1)
		}
	}()
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
}
