package generator

import (
	"strconv"
	"strings"
)

// Message texts in several languages and scripts. Placeholders: {n} a
// number, {name} the other party's first name.
var (
	textsEnglish = []string{
		"Hi, I need help with my order #{n}",
		"Hello! Is anyone there?",
		"My payment failed but the money was taken from my account",
		"Can I change the delivery address for order {n}?",
		"Thanks {name}, that solved it!",
		"How do I reset my password?",
		"The app keeps crashing when I open the settings page",
		"Do you ship to Canada?",
		"I was charged twice this month",
		"Can you send me the invoice for {n}?",
		"ok",
		"Great, thank you so much",
		"What are your opening hours on Saturday?",
		"Is 2 < 3 & 5 > 4? Asking for the pricing page :)",
	}
	agentEnglish = []string{
		"Hi {name}, thanks for reaching out! Let me check that for you.",
		"I've refunded order #{n}, you should see it in 3-5 business days.",
		"Could you share a screenshot of the error?",
		"**Good news:** your order has shipped. Tracking number: {n}",
		"You can reset it here: https://example.com/reset",
		"Is there anything else I can help you with?",
		"I'm escalating this to our billing team.",
		"Sorry for the wait, {name}. We're looking into it.",
	}
	textsPortuguese = []string{
		"Olá, preciso de ajuda com meu pedido {n}",
		"Boa tarde! Vocês entregam em São Paulo?",
		"Obrigado pelo atendimento, {name}!",
		"Não consigo acessar minha conta",
		"Qual é o prazo de entrega para o Rio de Janeiro?",
	}
	textsArabic = []string{
		"مرحبا، أحتاج إلى مساعدة بخصوص طلبي رقم {n}",
		"شكرا جزيلا على المساعدة",
		"متى سيصل الطلب؟",
		"لا أستطيع تسجيل الدخول إلى حسابي",
		"هل يمكنني تغيير عنوان التوصيل؟",
	}
	textsChinese = []string{
		"你好，我的订单{n}还没有到。",
		"请问可以退款吗？",
		"谢谢你的帮助！",
		"我无法登录我的账户",
		"你们周末营业吗？",
	}
	textsOther = []string{
		"Hola, ¿tienen envío a México?",
		"Bonjour, je n'arrive pas à me connecter",
		"Здравствуйте, где мой заказ?",
		"नमस्ते, मुझे मदद चाहिए",
		"こんにちは、注文{n}について質問があります",
		"Merhaba, siparişim nerede?",
		"Guten Tag, ich habe eine Frage zur Rechnung",
	}
	textsEmoji = []string{
		"👍",
		"Thanks!! 🙏🙏",
		"😂😂 ok",
		"🎉 it works now",
		"❤️",
		"Where is my package? 📦🤔",
		"👋 hi",
	}
	// edgeTexts are boundary contents the platform accepts and sends as they are.
	edgeTexts = []string{
		"",
		" ",
		"<script>alert('x')</script> & \"quotes\" 'single' </div>",
		"<b>bold</b> &amp; <i>italic</i> &lt;escaped&gt;",
		"line one\nline two\n\ttabbed\r\nwindows",
		"\u2028line separator\u2029paragraph separator",
		"مرحبا <b>بك</b> في المتجر — שלום עולם",
		"‏RTL mark and ‮override‬ text",
		"👨‍👩‍👧‍👦🏳️‍🌈🇧🇷🇸🇦🇨🇳 family, flags and ZWJ sequences",
		"𝕌𝕟𝕚𝕔𝕠𝕕𝕖 𝔹𝕞𝕡 and 中文𠀀 supplementary",
		"back\\slash and \"double\" and /slash/",
		"\u0001\u001f control characters",
		"null",
		"{\"looks\":\"like json\"}",
	}
)

// fill replaces the placeholders of a template.
func (g *Generator) fill(t, name string) string {
	if !strings.Contains(t, "{") {
		return t
	}
	t = strings.ReplaceAll(t, "{n}", strconv.Itoa(g.f.Number(1000, 99999)))
	return strings.ReplaceAll(t, "{name}", name)
}

// messageText returns a realistic text for a customer (incoming) or an agent.
func (g *Generator) messageText(incoming bool, name string) string {
	if g.edge && g.chance(0.5) {
		return g.edgeString()
	}
	r := g.r.Intn(100)
	var pool []string
	switch {
	case !incoming && r < 70:
		pool = agentEnglish
	case r < 45:
		pool = textsEnglish
	case r < 57:
		pool = textsPortuguese
	case r < 67:
		pool = textsArabic
	case r < 77:
		pool = textsChinese
	case r < 87:
		pool = textsOther
	default:
		pool = textsEmoji
	}
	return g.fill(pool[g.r.Intn(len(pool))], name)
}

// edgeString returns a boundary string: empty, very long, emoji, RTL,
// HTML-significant or control characters.
func (g *Generator) edgeString() string {
	switch g.r.Intn(4) {
	case 0:
		return g.longString(10000)
	default:
		return edgeTexts[g.r.Intn(len(edgeTexts))]
	}
}

// longString returns a string of exactly n runes mixing scripts.
func (g *Generator) longString(n int) string {
	parts := []string{"lorem ", "ipsum ", "مرحبا ", "你好", "😀", "<&> ", "olá "}
	var b strings.Builder
	b.Grow(n * 2)
	count := 0
	for count < n {
		p := parts[g.r.Intn(len(parts))]
		for _, r := range p {
			if count == n {
				break
			}
			b.WriteRune(r)
			count++
		}
	}
	return b.String()
}

var (
	arabicNames     = []string{"محمد العتيبي", "فاطمة الزهراء", "أحمد منصور", "نورة القحطاني", "Omar Haddad", "Layla Nasser"}
	chineseNames    = []string{"王伟", "李娜", "张敏", "刘洋", "陈静", "Li Wei"}
	portugueseNames = []string{"João Silva", "Maria Oliveira", "Ana Souza", "Pedro Santos", "Luíza Fernandes", "José Araújo"}
	widgetAdjs      = []string{"quiet", "broken", "autumn", "bold", "cool", "damp", "dry", "falling", "frosty", "green", "lively", "misty", "polished", "red", "silent", "snowy", "young", "wild"}
	widgetNouns     = []string{"sun", "sea", "tree", "river", "breeze", "moon", "rain", "wind", "snow", "lake", "sunset", "pine", "shadow", "leaf", "dawn", "glitter", "forest", "hill"}
)

// personName returns a contact name in a realistic mix of scripts.
func (g *Generator) personName() string {
	switch r := g.r.Intn(100); {
	case r < 60:
		return g.f.Name()
	case r < 72:
		return portugueseNames[g.r.Intn(len(portugueseNames))]
	case r < 84:
		return arabicNames[g.r.Intn(len(arabicNames))]
	default:
		return chineseNames[g.r.Intn(len(chineseNames))]
	}
}

// widgetName is the name the web widget gives anonymous visitors.
func (g *Generator) widgetName() string {
	return widgetAdjs[g.r.Intn(len(widgetAdjs))] + "-" + widgetNouns[g.r.Intn(len(widgetNouns))] + "-" + strconv.Itoa(g.f.Number(100, 999))
}

var phonePlans = []struct {
	cc     string
	digits int
}{{"1", 10}, {"44", 10}, {"55", 11}, {"91", 10}, {"971", 9}, {"966", 9}, {"86", 11}, {"351", 9}, {"49", 11}, {"52", 10}, {"234", 10}, {"62", 11}}

// phone returns an E.164 number (^\+[1-9]\d{1,14}$).
func (g *Generator) phone() string {
	p := phonePlans[g.r.Intn(len(phonePlans))]
	b := make([]byte, 0, 16)
	b = append(b, '+')
	b = append(b, p.cc...)
	b = append(b, byte('1'+g.r.Intn(9)))
	for i := 1; i < p.digits; i++ {
		b = append(b, byte('0'+g.r.Intn(10)))
	}
	return string(b)
}

// email returns a lower-case e-mail for a name (Chatwoot lower-cases them).
func (g *Generator) email() string { return g.f.Email() }

func (g *Generator) hex(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = hexdig[g.r.Intn(16)]
	}
	return string(b)
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func (g *Generator) token(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[g.r.Intn(len(alnum))]
	}
	return string(b)
}

func (g *Generator) digits(n int) string {
	b := make([]byte, n)
	b[0] = byte('1' + g.r.Intn(9))
	for i := 1; i < n; i++ {
		b[i] = byte('0' + g.r.Intn(10))
	}
	return string(b)
}

// uuid returns a version-4 UUID drawn from the generator's source.
func (g *Generator) uuid() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(g.r.Intn(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hexdig[c>>4], hexdig[c&0xf])
	}
	return string(out)
}

func (g *Generator) pick(s []string) string { return s[g.r.Intn(len(s))] }

// chance reports true with probability p.
func (g *Generator) chance(p float64) bool { return g.r.Float64() < p }
