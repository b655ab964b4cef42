"""Sentence banks the review generator draws from: English/Japanese pairs, foreign originals.

Written for the sandbox (no text is copied from real reviews). Each entry is a pair (English,
Japanese) saying the same thing, so a review written in one language can be shown with
Google's machine translation into the other. Banks are per business kind (ramen, coffee, and
a generic retail/service bank every store also draws from) and per mood:

- `pos` (4–5 stars), `neg` (1–2 stars) and `mixed` (3 stars, or a 2/4-star review that
  weighs both sides): aspects a topic model looks for (staff, price, taste/quality,
  cleanliness, waiting, atmosphere, parking/location, reservations), negations ("not bad",
  「美味しくないわけではない」), contrasts ("great coffee but slow service", 「味は良いけど高い」)
  and lukewarm "it was fine" texts.
- `SHORT`: one-word and emoji-only reviews per language.
- `FOREIGN`: Korean, Chinese and French originals with their English and Japanese
  translations, for visitors writing in neither of the store's languages.
"""

from __future__ import annotations

Pair = tuple[str, str]  # (English, Japanese)
Bank = dict[str, tuple[Pair, ...]]  # mood → sentences

RAMEN: Bank = {
    "pos": (
        ("The tonkotsu broth was rich without being greasy.", "豚骨スープが濃厚なのにしつこくなくて最高でした。"),
        ("The noodles were cooked exactly the way I asked.", "麺の硬さを指定通りにしてくれました。"),
        ("The chashu melted in my mouth.", "チャーシューが口の中でとろけました。"),
        ("Best shoyu ramen I have had in Tokyo so far.", "東京で食べた醤油ラーメンの中で一番です。"),
        ("The ajitama egg was perfectly soft.", "味玉の半熟具合が完璧でした。"),
        ("Gyoza were crispy on the bottom and juicy inside.", "餃子は羽根がパリパリで中はジューシー。"),
        ("The miso ramen warmed me right up on a cold night.", "寒い夜に味噌ラーメンで体が温まりました。"),
        ("Free extra noodles at lunch is a great deal.", "ランチは替え玉無料でお得です。"),
        ("The tsukemen dipping soup was thick and full of flavour.", "つけ麺のつけ汁が濃厚で旨みたっぷり。"),
        ("Open late, which is perfect after work.", "深夜まで営業しているので仕事帰りに助かります。"),
        ("The ticket machine has an English menu, so ordering was easy.", "券売機に英語表記があって注文しやすかったです。"),
        ("Not bad at all for the price.", "この値段なら全然悪くないです。"),
        ("The shio ramen was light and clean, I finished every drop.", "塩ラーメンはあっさりしていてスープまで完飲しました。"),
        ("The counter seats let you watch the chefs work.", "カウンター席から調理が見られて楽しい。"),
    ),
    "neg": (
        ("The soup was lukewarm by the time it reached me.", "スープがぬるかったです。"),
        ("Far too salty, I could not finish it.", "塩辛すぎて最後まで食べられませんでした。"),
        ("They got my order wrong and did not apologise.", "注文を間違えられたのに謝罪もありませんでした。"),
        ("The noodles were soggy.", "麺が伸びていました。"),
        ("The chashu was dry and tough.", "チャーシューがパサパサで硬かった。"),
        ("The counter was sticky and the floor was greasy.", "カウンターがベタベタで床も油っぽかった。"),
        ("We waited 40 minutes outside in the rain.", "雨の中40分も外で待たされました。"),
        ("1,200 yen for this is not worth it.", "これで1200円は高すぎます。"),
        ("The broth tasted like it came from a packet.", "スープが市販品のような味でした。"),
        ("Not delicious, to be honest.", "正直、美味しくなかったです。"),
        ("The shop is so cramped you bump elbows with strangers.", "店内が狭すぎて隣の人と肘が当たります。"),
    ),
    "mixed": (
        ("The broth was tasty, but a little too salty for me.", "味は良いけど少ししょっぱかった。"),
        ("Big portions, but a bit pricey.", "量は多いが値段がやや高め。"),
        ("The ramen was good, but the queue at lunch is very long.", "ラーメンは美味しいのですが、昼は行列が長いです。"),
        ("It is not that it was not tasty, it just was not special.", "美味しくないわけではないが、特別でもない。"),
        ("Normal ramen. Nothing wrong with it.", "普通のラーメンです。悪くはないです。"),
        ("The noodles were great but the soup was only average.", "麺は最高だけどスープは普通でした。"),
        ("Friendly staff, though the gyoza were a bit burnt.", "店員さんは感じが良いけど、餃子が少し焦げていました。"),
        ("Tasty enough, but I would not queue for it again.", "美味しいけど、また並ぶほどではないかな。"),
    ),
}

COFFEE: Bank = {
    "pos": (
        ("The flat white was silky and strong.", "フラットホワイトがなめらかで濃くて美味しい。"),
        ("The baristas remembered my order after two visits.", "二回目でバリスタが注文を覚えてくれました。"),
        ("The scones come out of the oven warm.", "スコーンが焼きたてで温かかった。"),
        ("Quiet, bright and good for working on a laptop.", "明るくて静かで、パソコン作業がはかどります。"),
        ("The pour-over had lovely fruity notes.", "ハンドドリップはフルーティーな香りが素敵でした。"),
        ("Great oat milk latte, not too sweet.", "オーツミルクラテが甘すぎず美味しい。"),
        ("Fast Wi-Fi and plenty of outlets.", "Wi-Fiが速くてコンセントも多い。"),
        ("The drive-through line moves quickly even at 8am.", "朝8時でもドライブスルーの列がすぐ進みます。"),
        ("They roast the beans themselves and it shows.", "自家焙煎のこだわりが味に出ています。"),
        ("Lovely patio when the sun is out.", "晴れた日のテラス席が気持ちいい。"),
        ("The cold brew is not bitter at all.", "コールドブリューが全然苦くない。"),
        ("Reasonable prices for this quality.", "この品質でこの値段は良心的。"),
    ),
    "neg": (
        ("My latte was lukewarm and watery.", "ラテがぬるくて薄かったです。"),
        ("My mobile order was 20 minutes late.", "モバイルオーダーが20分も遅れました。"),
        ("The tables were sticky and nobody wiped them.", "テーブルがベタベタで誰も拭いていませんでした。"),
        ("The barista rolled her eyes when I asked for oat milk.", "オーツミルクを頼んだらバリスタに嫌な顔をされました。"),
        ("Seven dollars for a small drip coffee is too much.", "ドリップコーヒー一杯7ドルは高すぎます。"),
        ("The pastry was stale.", "ペストリーが古くてパサパサでした。"),
        ("The restroom was dirty and out of soap.", "トイレが汚くて石鹸もありませんでした。"),
        ("They charged me twice and refused to refund.", "二重に請求されたのに返金してもらえませんでした。"),
        ("Way too loud to have a conversation.", "うるさすぎて会話ができません。"),
        ("The espresso tasted burnt.", "エスプレッソが焦げた味でした。"),
    ),
    "mixed": (
        ("Great coffee but slow service.", "コーヒーは美味しいけど提供が遅い。"),
        ("Good coffee, but there are never enough seats.", "コーヒーは美味しいが席が少ない。"),
        ("It was fine. A normal coffee shop.", "普通のカフェでした。可もなく不可もなく。"),
        ("The latte was okay, the muffin was not great.", "ラテはまあまあ、マフィンはいまいち。"),
        ("Nice atmosphere, though the Wi-Fi keeps dropping.", "雰囲気は良いけどWi-Fiがよく切れます。"),
        ("Not bad, but a bit expensive for what you get.", "悪くないけど、内容の割に少し高い。"),
        ("Busy in the morning, so it took a while, but the staff stayed cheerful.", "朝は混んでいて時間がかかったけど、店員さんは明るかった。"),
    ),
}

GENERIC: Bank = {
    "pos": (
        ("The staff were friendly and helpful.", "スタッフの対応がとても丁寧でした。"),
        ("Everything was spotless.", "店内がとても清潔でした。"),
        ("Easy to find, right by the station.", "駅から近くて分かりやすい場所です。"),
        ("There is a free car park behind the building.", "建物の裏に無料駐車場があります。"),
        ("Booking online took one minute and they had my table ready.", "ネット予約が簡単で、席もちゃんと用意されていました。"),
        ("Great value for money.", "コスパが良いです。"),
        ("We were seated straight away.", "待たずにすぐ座れました。"),
        ("The manager came over to check we were happy.", "店長さんがわざわざ声をかけてくれました。"),
        ("Will definitely come back.", "また必ず来ます。"),
        ("The staff were not unfriendly at all, quite the opposite.", "店員さんが無愛想ということは全くなく、むしろ親切でした。"),
        ("Relaxed atmosphere and good music.", "落ち着いた雰囲気で音楽も良い。"),
    ),
    "neg": (
        ("The staff were rude and ignored us.", "スタッフの対応がとても悪かった。"),
        ("Nobody answered the phone when I tried to book.", "予約の電話をしても誰も出ませんでした。"),
        ("They lost our reservation.", "予約が入っていないと言われました。"),
        ("No parking anywhere nearby.", "近くに駐車場が全くありません。"),
        ("Dirty and smelly.", "不潔で臭いがひどかった。"),
        ("Overpriced for what you get.", "内容の割に高すぎます。"),
        ("We waited an hour and gave up.", "一時間待って諦めました。"),
        ("I will not be coming back.", "もう二度と行きません。"),
        ("The staff did not seem to care at all.", "店員のやる気が全く感じられませんでした。"),
    ),
    "mixed": (
        ("The staff were nice, but it is hard to park.", "スタッフは親切ですが、駐車が大変です。"),
        ("Average. Nothing special, nothing bad.", "普通です。良くも悪くもない。"),
        ("Fine for a quick stop.", "ちょっと寄るには十分です。"),
        ("Clean, but the prices went up again.", "清潔ですが、また値上がりしていました。"),
        ("Reservations are a must on weekends, we waited a while without one.", "週末は予約必須。予約なしだとしばらく待ちました。"),
        ("Not the best, not the worst.", "最高ではないが最悪でもない。"),
    ),
}

# Whole reviews of a few characters, by mood and language.
SHORT: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"pos": ("Great!", "Love it", "Amazing 😍", "10/10", "👍👍", "So good!", "Best in town",
                   "Yum 🍜", "Perfect ☕", "Highly recommend"),
           "neg": ("Terrible.", "Never again", "👎", "Awful service", "Meh.", "Cold food.",
                   "Overpriced"),
           "mixed": ("OK", "It was fine", "Decent", "Average", "Not bad", "So-so 🤷")},
    "ja": {"pos": ("最高！", "美味しかった😋", "また行きます！", "大満足", "おすすめです", "👍",
                   "神", "リピ確定", "うまい！"),
           "neg": ("最悪", "二度と行かない", "残念…", "まずい", "接客ひどい", "👎"),
           "mixed": ("普通", "まあまあ", "可もなく不可もなく", "悪くない", "ふつうに美味しい")},
}

# Openers and closers that make longer reviews read like people wrote them.
OPENERS: dict[str, tuple[Pair, ...]] = {
    "pos": (("Came here with friends on Saturday.", "土曜日に友人と行きました。"),
            ("Second visit this month.", "今月二回目の来店です。"),
            ("Stopped by on my way home.", "帰り道に寄りました。")),
    "neg": (("Really disappointed this time.", "今回は本当にがっかりしました。"),
            ("I used to love this place.", "以前は好きなお店だったのですが。"),
            ("First and last visit.", "初めて行きましたが、最後になりそうです。")),
    "mixed": (("Tried it for lunch.", "ランチで利用しました。"),
              ("Went on a weekday evening.", "平日の夜に行きました。")),
}
EMOJI = {"pos": ("😊", "🙏", "✨", "😋", "❤️"), "neg": ("😡", "😞", "💢"), "mixed": ("🤔", "😐")}

# Originals in languages neither store uses: (original, English, Japanese), by mood.
Foreign = tuple[str, str, str]
FOREIGN: dict[str, dict[str, tuple[Foreign, ...]]] = {
    "ko": {"pos": (("국물이 진하고 정말 맛있었어요.", "The broth was rich and really delicious.",
                    "スープが濃くて本当に美味しかったです。"),
                   ("직원분들이 친절했어요.", "The staff were kind.", "店員さんが親切でした。"),
                   ("또 오고 싶어요!", "I want to come again!", "また来たいです！")),
           "neg": (("너무 짜서 다 못 먹었어요.", "It was too salty to finish.",
                    "しょっぱすぎて食べきれませんでした。"),
                   ("한 시간이나 기다렸어요.", "We waited a whole hour.", "一時間も待ちました。")),
           "mixed": (("맛은 괜찮은데 좀 비싸요.", "The taste is fine but it is a bit expensive.",
                      "味はいいけど少し高いです。"),)},
    "zh": {"pos": (("味道很好，服务也很周到。", "The food was tasty and the service attentive.",
                    "味がとても良く、サービスも行き届いていました。"),
                   ("环境干净，值得推荐。", "Clean place, worth recommending.",
                    "清潔なお店で、おすすめです。")),
           "neg": (("服务员态度很差。", "The waiter's attitude was very bad.",
                    "店員の態度がとても悪かったです。"),
                   ("等了很久才上菜。", "The food took a long time to arrive.",
                    "料理が出てくるまでかなり待ちました。")),
           "mixed": (("还可以，就是有点贵。", "It was okay, just a little pricey.",
                      "まあまあですが、少し高いです。"),)},
    "fr": {"pos": (("Excellent, le personnel est adorable.", "Excellent, the staff are lovely.",
                    "最高です。スタッフがとても素敵です。"),
                   ("Très bon café, je reviendrai.", "Very good coffee, I will come back.",
                    "とても美味しいコーヒーでした。また来ます。")),
           "neg": (("Service très lent et personnel désagréable.",
                    "Very slow service and unpleasant staff.",
                    "提供がとても遅く、店員の感じも悪かったです。"),),
           "mixed": (("Pas mal, mais un peu cher.", "Not bad, but a bit expensive.",
                      "悪くないけど、少し高いです。"),)},
}

# Owner replies already on the seeded reviews, per store language and mood.
REPLIES: dict[str, dict[str, tuple[str, ...]]] = {
    "ja": {"pos": ("ご来店ありがとうございました。またのお越しを心よりお待ちしております。",
                   "嬉しいお言葉をありがとうございます。スタッフ一同励みになります。"),
           "mixed": ("貴重なご意見ありがとうございます。いただいた点は改善に努めてまいります。",),
           "neg": ("この度はご不快な思いをおかけし、誠に申し訳ございませんでした。",
                   "ご指摘ありがとうございます。店舗で共有し、早急に改善いたします。")},
    "en": {"pos": ("Thanks so much for visiting - see you again soon!",
                   "Thank you for the kind words, the team will love reading this."),
           "mixed": ("Thank you for the feedback; we've shared it with the team.",),
           "neg": ("We're sorry about your visit. Please reach out so we can make it right.",
                   "Thank you for telling us. We're looking into what went wrong.")},
}

JA_NAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
            "吉田 美穂", "山田 太郎", "松本 彩", "井上 健", "木村 さくら", "haru", "ゆうき", "Kenta M")
EN_NAMES = ("Sam K.", "Maria Lopez", "Chris P.", "Jenny Wu", "Tom B.", "Priya S.", "Alex R.",
            "Dana M.", "Kevin O.", "Lauren T.", "Mike Johnson", "Aisha Khan", "Ben Carter",
            "Olivia Nguyen", "Jake", "coffee_lover_92", "Rosa G.", "Ethan Brooks")
FOREIGN_NAMES = {"ko": ("김민지", "이준호", "박서연"), "zh": ("王伟", "李娜", "陈静"),
                 "fr": ("Camille Martin", "Louis Bernard", "Chloé D.")}
ANONYMOUS_NAME = "A Google User"
