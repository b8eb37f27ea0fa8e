package main

import "github.com/sodam-ai/sodam"

// item is a menu item before it is given to a branch.
type item struct {
	name    string
	price   int64
	desc    string
	aliases []string
	options []sodam.MenuOption
	drink   bool // drinks never get a discount
}

func opt(pairs ...any) []sodam.MenuOption {
	var o []sodam.MenuOption
	for i := 0; i < len(pairs); i += 2 {
		o = append(o, sodam.MenuOption{Name: pairs[i].(string), Price: int64(pairs[i+1].(int))})
	}
	return o
}

func al(a ...string) []string { return a }

// Option sets shared by many menus.

func boneOpts() []sodam.MenuOption   { return opt("뼈", 0, "순살", 2000) }
func saucedOpts() []sodam.MenuOption { return opt("뼈", 0, "순살", 2000, "매운맛", 1000) }
func noodleOpts() []sodam.MenuOption { return opt("곱빼기", 1000) }
func tangsuOpts() []sodam.MenuOption { return opt("소", 0, "중", 6000, "대", 12000) }
func burgerOpts() []sodam.MenuOption {
	return opt("세트", 2400, "라지세트", 3100, "치즈 추가", 700)
}
func coffeeOpts() []sodam.MenuOption { return opt("샷 추가", 500, "사이즈업", 700) }
func teaOpts() []sodam.MenuOption    { return opt("사이즈업", 700) }
func tteokOpts() []sodam.MenuOption {
	return opt("치즈 추가", 1500, "순한맛", 0, "매운맛", 0)
}
func ramenOpts() []sodam.MenuOption  { return opt("치즈 추가", 500, "곱빼기", 1000) }
func gukbapOpts() []sodam.MenuOption { return opt("특", 2000, "공기밥 추가", 1000) }
func jokbalOpts() []sodam.MenuOption { return opt("중", 0, "대", 7000) }

func pizzaOpts(large int) []sodam.MenuOption {
	return opt("미디움", 0, "라지", large, "치즈 추가", 2500, "치즈크러스트", 4000)
}

// sodas are the 1.25L bottles most delivery places sell.
func sodas(price int64) []item {
	return []item{
		{"콜라", price, "코카콜라 1.25L", al("코카콜라", "코크", "콜라 1.25L"), nil, true},
		{"사이다", price, "칠성사이다 1.25L", al("칠성사이다", "사이다 1.25L"), nil, true},
		{"제로콜라", price, "코카콜라 제로 1.25L", al("코카콜라 제로", "콜라 제로", "코크 제로"), nil, true},
	}
}

// cans are the 355ml drinks of restaurants and snack bars.
func cans(price int64) []item {
	return []item{
		{"콜라", price, "코카콜라 355ml", al("코카콜라", "코크", "콜라 캔"), nil, true},
		{"사이다", price, "칠성사이다 355ml", al("칠성사이다", "사이다 캔"), nil, true},
	}
}

func menu(parts ...[]item) []item {
	var m []item
	for _, p := range parts {
		m = append(m, p...)
	}
	return m
}
