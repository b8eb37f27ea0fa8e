// Package kakao serves Sodam as a Kakao i Open Builder skill: it reads the
// skill payload that Kakao posts for each user message, runs the turn
// through a sodam.Assistant and answers with a skill response (version
// "2.0") built from simpleText, cards, carousels, list cards and quick
// replies, always within the platform's limits and its 5-second timeout.
//
// The wire types in this file follow the skill protocol's field names
// exactly; render.go maps a sodam.Response to them and handler.go serves
// the endpoint.
package kakao

import "encoding/json"

// SkillRequest is the payload Kakao posts to a skill. Only the fields the
// service reads are typed; the rest is ignored.
type SkillRequest struct {
	Intent      SkillIntent `json:"intent"`
	UserRequest UserRequest `json:"userRequest"`
	Bot         SkillBot    `json:"bot"`
	Action      SkillAction `json:"action"`
}

// SkillIntent is the block that matched the utterance.
type SkillIntent struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// UserRequest is what the user said and who said it.
type UserRequest struct {
	Timezone  string    `json:"timezone"`
	Utterance string    `json:"utterance"`
	Lang      string    `json:"lang"`
	User      SkillUser `json:"user"`
	// CallbackURL is set only on blocks with callbacks enabled. It can be
	// posted to once, within a minute of the request.
	CallbackURL string            `json:"callbackUrl,omitempty"`
	Params      map[string]string `json:"params,omitempty"`
}

// SkillUser identifies the user. ID is the botUserKey (Type "botUserKey").
type SkillUser struct {
	ID         string         `json:"id"`
	Type       string         `json:"type"`
	Properties UserProperties `json:"properties"`
}

// UserProperties are the user's other identifiers.
type UserProperties struct {
	PlusfriendUserKey string `json:"plusfriendUserKey,omitempty"`
	AppUserID         string `json:"appUserId,omitempty"`
}

// SkillBot is the bot the skill serves.
type SkillBot struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// SkillAction is the skill being run and its parameters.
type SkillAction struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Params      map[string]string `json:"params,omitempty"`
	ClientExtra json.RawMessage   `json:"clientExtra,omitempty"`
}

// Version is the skill response version; without it Kakao reads a
// response in the old format.
const Version = "2.0"

// SkillResponse is the answer to a skill request or the body posted to a
// callback URL. A callback acknowledgement sets UseCallback and Data
// instead of Template.
type SkillResponse struct {
	Version     string         `json:"version"`
	UseCallback bool           `json:"useCallback,omitempty"`
	Template    *SkillTemplate `json:"template,omitempty"`
	Data        map[string]any `json:"data,omitempty"`
}

// SkillTemplate holds the speech bubbles (outputs) and quick replies.
type SkillTemplate struct {
	Outputs      []Output     `json:"outputs"`
	QuickReplies []QuickReply `json:"quickReplies,omitempty"`
}

// Output is one speech bubble; exactly one field is set.
type Output struct {
	SimpleText   *SimpleText   `json:"simpleText,omitempty"`
	TextCard     *TextCard     `json:"textCard,omitempty"`
	BasicCard    *BasicCard    `json:"basicCard,omitempty"`
	CommerceCard *CommerceCard `json:"commerceCard,omitempty"`
	ListCard     *ListCard     `json:"listCard,omitempty"`
	Carousel     *Carousel     `json:"carousel,omitempty"`
}

// SimpleText is a plain text bubble.
type SimpleText struct {
	Text string `json:"text"`
}

// TextCard is a card with a title, a description and buttons, and no
// picture.
type TextCard struct {
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	Buttons     []Button `json:"buttons,omitempty"`
}

// BasicCard is a card with a picture.
type BasicCard struct {
	Title       string     `json:"title,omitempty"`
	Description string     `json:"description,omitempty"`
	Thumbnail   *Thumbnail `json:"thumbnail,omitempty"`
	Buttons     []Button   `json:"buttons,omitempty"`
}

// CommerceCard shows a product with its price and discount.
type CommerceCard struct {
	Title           string      `json:"title,omitempty"`
	Description     string      `json:"description"`
	Price           int64       `json:"price"`
	Currency        string      `json:"currency"`
	Discount        int64       `json:"discount,omitempty"`
	DiscountRate    int         `json:"discountRate,omitempty"`
	DiscountedPrice int64       `json:"discountedPrice,omitempty"`
	Thumbnails      []Thumbnail `json:"thumbnails"`
	Buttons         []Button    `json:"buttons"`
}

// Thumbnail is a card's picture.
type Thumbnail struct {
	ImageURL string `json:"imageUrl"`
}

// ListCard is a titled list of up to five rows.
type ListCard struct {
	Header  ListHeader `json:"header"`
	Items   []ListItem `json:"items"`
	Buttons []Button   `json:"buttons,omitempty"`
}

// ListHeader is a list card's title.
type ListHeader struct {
	Title string `json:"title"`
}

// ListItem is one row of a list card; with Action "message" choosing it
// sends MessageText.
type ListItem struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	ImageURL    string `json:"imageUrl,omitempty"`
	Action      string `json:"action,omitempty"`
	MessageText string `json:"messageText,omitempty"`
}

// Carousel shows up to ten cards of one type side by side.
type Carousel struct {
	Type  string `json:"type"` // textCard, basicCard, commerceCard or listCard
	Items []any  `json:"items"`
}

// Button is a button on a card. Action is message, webLink or phone.
type Button struct {
	Label       string `json:"label"`
	Action      string `json:"action"`
	MessageText string `json:"messageText,omitempty"`
	WebLinkURL  string `json:"webLinkUrl,omitempty"`
	PhoneNumber string `json:"phoneNumber,omitempty"`
}

// QuickReply is a chip under the answer that sends MessageText.
type QuickReply struct {
	Label       string `json:"label"`
	Action      string `json:"action"`
	MessageText string `json:"messageText"`
}

// UnmarshalJSON decodes the items as cards of the carousel's type, so
// that a decoded response validates like a rendered one.
func (c *Carousel) UnmarshalJSON(b []byte) error {
	var raw struct {
		Type  string            `json:"type"`
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	c.Type, c.Items = raw.Type, make([]any, 0, len(raw.Items))
	for _, it := range raw.Items {
		var card any
		switch raw.Type {
		case TypeTextCard:
			card = new(TextCard)
		case TypeBasicCard:
			card = new(BasicCard)
		case TypeCommerceCard:
			card = new(CommerceCard)
		case TypeListCard:
			card = new(ListCard)
		default:
			card = new(map[string]any)
		}
		if err := json.Unmarshal(it, card); err != nil {
			return err
		}
		c.Items = append(c.Items, card)
	}
	return nil
}
