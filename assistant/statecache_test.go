package assistant

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/sodam-ai/sodam"
)

// dialogues is a DialogueStore in a map.
type dialogues map[string][]byte

func (d dialogues) SaveDialogue(_ context.Context, userID string, b []byte) error {
	d[userID] = append([]byte(nil), b...)
	return nil
}

func (d dialogues) LoadDialogue(_ context.Context, userID string) ([]byte, error) {
	b, ok := d[userID]
	if !ok {
		return nil, sodam.Errorf(sodam.ENOTFOUND, "no dialogue")
	}
	return append([]byte(nil), b...), nil
}

// TestStateCacheFollowsTheStore: the state decoded at the last save is
// reused only while the store holds exactly what was saved; a turn
// answered by another server (the store changed) is read from the store.
func TestStateCacheFollowsTheStore(t *testing.T) {
	ctx := context.Background()
	ds, cache := dialogues{}, newStateCache()
	st, err := loadState(ctx, ds, cache, "u-1")
	if err != nil || st.UserID != "u-1" || len(st.History) != 0 {
		t.Fatalf("fresh state %+v, %v", st, err)
	}
	st.History = append(st.History, Exchange{User: "치킨 시켜줘"})
	if err := saveState(ctx, ds, cache, st); err != nil {
		t.Fatal(err)
	}
	again, err := loadState(ctx, ds, cache, "u-1")
	if err != nil {
		t.Fatal(err)
	}
	if again != st {
		t.Error("the state saved last was decoded again instead of reused")
	}
	// Taken: a turn that fails before saving leaves nothing behind.
	if s, _ := loadState(ctx, ds, cache, "u-1"); s == st || len(s.History) != 1 {
		t.Errorf("second load without a save reused the taken state or lost history: %+v", s)
	}

	if err := saveState(ctx, ds, cache, st); err != nil {
		t.Fatal(err)
	}
	// Another server answers the next turn and saves its own state.
	other := &State{Version: stateVersion, UserID: "u-1", History: []Exchange{{User: "치킨 시켜줘"}, {User: "피자로 바꿔줘"}}}
	b, _ := json.Marshal(other)
	ds["u-1"] = b
	got, err := loadState(ctx, ds, cache, "u-1")
	if err != nil {
		t.Fatal(err)
	}
	if got == st || len(got.History) != 2 || got.History[1].User != "피자로 바꿔줘" {
		t.Errorf("after another server's turn got %+v, want the store's state", got.History)
	}
}

// TestEncodeStateIsJSONMarshal: the saved state is the document
// json.Marshal makes of it, replies included.
func TestEncodeStateIsJSONMarshal(t *testing.T) {
	r1, _ := json.Marshal(&sodam.Response{Text: "결제가 완료됐어요. 18,000원 결제했어요.", Intent: "confirm"})
	for _, s := range []*State{
		{Version: stateVersion, UserID: "u-1"},
		{Version: stateVersion, UserID: "u-\"2\"", History: []Exchange{{User: "네"}},
			Replies: []CachedReply{{MessageID: "m-1", Response: r1}, {MessageID: "m<2>", Response: r1}}},
	} {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeState(s)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("encodeState:\n%s\nwant json.Marshal's\n%s", got, want)
		}
	}
}
