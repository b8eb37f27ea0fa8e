package tools_test

import (
	"strings"
	"testing"

	"github.com/sodam-ai/sodam"
	"github.com/sodam-ai/sodam/tools"
)

func merchantIDs(out *tools.SearchMerchantsOutput) string {
	var ids []string
	for _, r := range out.Merchants {
		ids = append(ids, r.Merchant.ID)
	}
	return strings.Join(ids, " ")
}

func TestSearchMerchants(t *testing.T) {
	tests := []struct {
		name string
		now  string
		in   tools.SearchMerchantsInput
		want string
	}{
		{name: "all, by id", in: tools.SearchMerchantsInput{}, want: "m-001 m-002 m-003"},
		{name: "category", in: tools.SearchMerchantsInput{Category: "족발"}, want: "m-002"},
		{name: "near me, by distance", in: tools.SearchMerchantsInput{NearMe: true}, want: "m-001 m-003 m-002"},
		{name: "near me with a category", in: tools.SearchMerchantsInput{NearMe: true, Category: "피자"}, want: "m-003"},
		{name: "known place, by distance within reach", in: tools.SearchMerchantsInput{Location: "강남역"}, want: "m-002"},
		{name: "place near two stores", in: tools.SearchMerchantsInput{Location: "혜화역"}, want: "m-001 m-003"},
		{name: "unknown place searched as text", in: tools.SearchMerchantsInput{Location: "교동치킨"}, want: "m-001"},
		{name: "brand", in: tools.SearchMerchantsInput{Query: "교동치킨"}, want: "m-001"},
		{name: "brand with a dish", in: tools.SearchMerchantsInput{Query: "심야족발 보쌈"}, want: "m-002"},
		{name: "a dish one store sells", in: tools.SearchMerchantsInput{Query: "막국수"}, want: "m-002"},
		{name: "a dish by its alias", in: tools.SearchMerchantsInput{Query: "후라이드"}, want: "m-001"},
		{name: "a dish near me", in: tools.SearchMerchantsInput{Query: "피자", NearMe: true}, want: "m-003"},
		{name: "budget: an item at or under it", in: tools.SearchMerchantsInput{Budget: 10800}, want: "m-001 m-002 m-003"},
		{name: "budget below every main dish but drinks", in: tools.SearchMerchantsInput{Budget: 5000}, want: "m-001"},
		{name: "budget with a discount in force", in: tools.SearchMerchantsInput{Budget: 11000, Category: "피자"}, want: "m-003"},
		{name: "open now in the afternoon", now: "2026-11-24T14:00:00+09:00", in: tools.SearchMerchantsInput{OpenNow: true}, want: "m-001 m-003"},
		{name: "open now late at night", now: "2026-11-25T01:00:00+09:00", in: tools.SearchMerchantsInput{OpenNow: true}, want: "m-002"},
		{name: "limit", in: tools.SearchMerchantsInput{NearMe: true, Limit: 1}, want: "m-001"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if tc.now != "" {
				e.clock.Set(at(tc.now))
			}
			out, err := e.tb.SearchMerchants(bg, "u-1", tc.in)
			must(t, err)
			if got := merchantIDs(out); got != tc.want {
				t.Errorf("merchants = %q, want %q", got, tc.want)
			}
			if tc.in.NearMe || tc.in.Location == "혜화역" {
				for k := 1; k < len(out.Merchants); k++ {
					if out.Merchants[k].DistanceKm < out.Merchants[k-1].DistanceKm {
						t.Errorf("not nearest first: %+v", out.Merchants)
					}
				}
			}
		})
	}
}

func TestSearchMerchantsNearMeWithoutPosition(t *testing.T) {
	e := newEnv(t)
	_, err := e.tb.SearchMerchants(bg, "walk-in", tools.SearchMerchantsInput{NearMe: true})
	wantCode(t, err, sodam.EINVALID)
	wantMessage(t, err, "위치 정보가 없어요. 동네나 역 이름을 알려 주시면 그 근처에서 찾아 드릴게요.")
}

func TestGetMenuAndPromotions(t *testing.T) {
	e := newEnv(t)
	menu, err := e.tb.GetMenu(bg, "u-1", tools.GetMenuInput{MerchantID: "m-001"})
	must(t, err)
	var got []string
	for _, v := range menu.Items {
		got = append(got, v.Item.ID)
		if v.Item.ID == "i-002" && (v.Price != 16060 || !v.Discounted) {
			t.Errorf("양념치킨 view = %+v, want 16,060 discounted", v)
		}
		if v.Item.ID == "i-004" && (v.Price != 19000 || v.Discounted) {
			t.Errorf("반반치킨 view = %+v, want 19,000 not discounted", v)
		}
	}
	if strings.Join(got, " ") != "i-001 i-002 i-003 i-004 i-005" {
		t.Errorf("menu = %v", got)
	}
	menu, err = e.tb.GetMenu(bg, "u-1", tools.GetMenuInput{MerchantID: "m-001", Query: "후라이드"})
	must(t, err)
	if len(menu.Items) != 1 || menu.Items[0].Item.ID != "i-001" {
		t.Errorf("menu for 후라이드 = %+v", menu.Items)
	}
	menu, err = e.tb.GetMenu(bg, "u-1", tools.GetMenuInput{MerchantID: "m-001", MaxPrice: 16100})
	must(t, err)
	if len(menu.Items) != 3 {
		t.Errorf("items at or under 16,100 = %d, want 3 (양념, 콜라, 치즈볼)", len(menu.Items))
	}
	_, err = e.tb.GetMenu(bg, "u-1", tools.GetMenuInput{MerchantID: "m-404"})
	wantCode(t, err, sodam.ENOTFOUND)

	promos, err := e.tb.GetPromotions(bg, "u-1", tools.GetPromotionsInput{})
	must(t, err)
	got = nil
	for _, p := range promos.Promotions {
		got = append(got, p.Item.Item.ID)
	}
	if strings.Join(got, " ") != "i-001 i-002 i-201" {
		t.Errorf("promotions = %v, want the discounts in force by id", got)
	}
	promos, err = e.tb.GetPromotions(bg, "u-1", tools.GetPromotionsInput{Category: "피자"})
	must(t, err)
	if len(promos.Promotions) != 1 || promos.Promotions[0].Merchant.ID != "m-003" {
		t.Errorf("pizza promotions = %+v", promos.Promotions)
	}

	info, err := e.tb.MerchantInfo(bg, "u-1", tools.MerchantInfoInput{MerchantID: "m-002"})
	must(t, err)
	if !info.OpenNow || info.Merchant.MinOrder != 20000 {
		t.Errorf("info = %+v", info)
	}
}
