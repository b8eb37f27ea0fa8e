package storetest

import (
	"context"
	"testing"

	"github.com/sodam-ai/sodam"
)

func richUser() *sodam.User {
	return &sodam.User{
		ID: "u-1", Name: "김소담", Address: "서울 종로구 대학로 12", Lat: 37.58, Lng: 127.0,
		Phone: "010-1234-5678", Subscriptions: []string{"ch-edam", "m-001"},
	}
}

func testUsers(t *testing.T, newStore NewStore) {
	ctx := context.Background()

	t.Run("UpsertThenGet", func(t *testing.T) {
		s := parallel(t, newStore)
		must(t, s.UpsertUser(ctx, richUser()))
		u, err := s.User(ctx, "u-1")
		must(t, err)
		same(t, "user", richUser(), u)

		changed := richUser()
		changed.Address, changed.Subscriptions = "서울 강남구 테헤란로 1", nil
		must(t, s.UpsertUser(ctx, changed))
		u, err = s.User(ctx, "u-1")
		must(t, err)
		same(t, "replaced user", changed, u)
	})

	t.Run("MissingIsNotFound", func(t *testing.T) {
		s := parallel(t, newStore)
		_, err := s.User(ctx, "u-none")
		wantCode(t, "User", err, sodam.ENOTFOUND)
		_, err = s.Subscribe(ctx, "u-none", "m-001")
		wantCode(t, "Subscribe", err, sodam.ENOTFOUND)
		_, err = s.Unsubscribe(ctx, "u-none", "m-001")
		wantCode(t, "Unsubscribe", err, sodam.ENOTFOUND)
	})

	t.Run("SubscriptionsSortedAndIdempotent", func(t *testing.T) {
		s := parallel(t, newStore)
		must(t, s.UpsertUser(ctx, &sodam.User{ID: "u-1"}))
		steps := []struct {
			name      string
			subscribe bool
			channel   string
			want      []string
		}{
			{"add m-002", true, "m-002", []string{"m-002"}},
			{"add ch-edam", true, "ch-edam", []string{"ch-edam", "m-002"}},
			{"add m-002 again", true, "m-002", []string{"ch-edam", "m-002"}},
			{"add m-001", true, "m-001", []string{"ch-edam", "m-001", "m-002"}},
			{"remove m-001", false, "m-001", []string{"ch-edam", "m-002"}},
			{"remove m-001 again", false, "m-001", []string{"ch-edam", "m-002"}},
			{"remove ch-edam", false, "ch-edam", []string{"m-002"}},
		}
		for _, st := range steps {
			var u *sodam.User
			var err error
			if st.subscribe {
				u, err = s.Subscribe(ctx, "u-1", st.channel)
			} else {
				u, err = s.Unsubscribe(ctx, "u-1", st.channel)
			}
			if err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			same(t, st.name+": returned subscriptions", st.want, u.Subscriptions)
			stored, err := s.User(ctx, "u-1")
			must(t, err)
			same(t, st.name+": stored subscriptions", st.want, stored.Subscriptions)
		}
	})

	t.Run("CopiesNotAliases", func(t *testing.T) {
		s := parallel(t, newStore)
		u := richUser()
		must(t, s.UpsertUser(ctx, u))
		u.Subscriptions[0] = "바뀜"
		got, err := s.User(ctx, "u-1")
		must(t, err)
		got.Subscriptions[0] = "바뀜"
		sub, err := s.Subscribe(ctx, "u-1", "m-009")
		must(t, err)
		sub.Subscriptions[0] = "바뀜"
		got, err = s.User(ctx, "u-1")
		must(t, err)
		same(t, "subscriptions", []string{"ch-edam", "m-001", "m-009"}, got.Subscriptions)
	})
}
