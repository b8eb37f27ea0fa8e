package memstore_test

import (
	"testing"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/connectors/memstore"
	"github.com/sodam-ai/sodam/connectors/storetest"
	"github.com/sodam-ai/sodam/retrieval"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) sodam.Store {
		return memstore.New(retrieval.NewIndex(retrieval.NewHashEmbedder(256)), nil)
	})
}

func TestSearchConformance(t *testing.T) {
	storetest.RunSearch(t, func(t *testing.T) storetest.SearchStore {
		return memstore.New(retrieval.NewIndex(retrieval.NewHashEmbedder(256)), nil)
	})
}
