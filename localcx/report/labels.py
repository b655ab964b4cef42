"""Every word the report prints, in each language it speaks, and numbers written the way
a reader of that language expects.

One dict per language with the same keys (a test checks they match), so `--lang ja`
switches every label and nothing is left in English by accident. Numbers: thousands
separators for both languages; ratings to one decimal; shares as percentages; dates as
`2026-12-01` in English and `2026年12月1日` in Japanese.
"""

from __future__ import annotations

from datetime import date

LANGUAGES = ("en", "ja")

EN: dict[str, str] = {
    "title": "Local performance report",
    "period": "Period",
    "stores": "Stores",
    "generated": "Generated",
    "absent": "No data for this period",
    "absent_hint": "Nothing is recorded for these stores in this period; {command} fills this section.",
    "not_found": "not found",
    "keywords_count": "keywords: {n}",
    "summary": "Summary",
    "rating": "Rating",
    "reviews_in_period": "Reviews in period",
    "unreplied_negative": "Unreplied 1–2★ reviews",
    "last_arp": "Average rank (ARP)",
    "last_solv": "Share of local voice (SoLV)",
    "calls": "Calls",
    "directions": "Direction requests",
    "website": "Website clicks",
    "impressions": "Impressions",
    "posts_published": "Posts published",
    "posts_rejected": "Posts rejected",
    "open_drift": "Open drift",
    "reviews": "Rating and review volume",
    "month": "Month",
    "average_stars": "Average stars",
    "review_count": "Reviews",
    "aspects": "Sentiment by aspect",
    "aspect": "Aspect",
    "positive": "Positive",
    "neutral": "Neutral",
    "negative": "Negative",
    "mentions": "Mentions",
    "unreplied": "Unreplied negative reviews",
    "store": "Store",
    "stars": "Stars",
    "date": "Date",
    "review": "Review",
    "more": "and {n} more",
    "rank": "Map rank",
    "keyword": "Keyword",
    "grid": "Grid",
    "scan": "Scan",
    "heatmap_caption": "Position at each grid point; the store's own point is outlined. – not found",
    "trend": "ARP and SoLV over time",
    "arp": "ARP",
    "atrp": "ATRP",
    "solv": "SoLV",
    "scans": "Scans",
    "lower_better": "lower is better",
    "insights": "Profile views and actions",
    "by_source": "Impressions by source",
    "maps_mobile": "Maps (mobile)",
    "maps_desktop": "Maps (desktop)",
    "search_mobile": "Search (mobile)",
    "search_desktop": "Search (desktop)",
    "actions": "Customer actions",
    "top_keywords": "Top search keywords",
    "below": "under {n}",
    "value": "Users",
    "profiles": "Profile changes and drift",
    "runs": "Changes applied",
    "run": "Run",
    "kind": "Kind",
    "started": "Started",
    "done": "Done",
    "failed": "Failed",
    "field": "Field",
    "ours": "Ours",
    "google": "Google shows",
    "detected": "Detected",
    "no_drift": "No open drift: Google shows what was set.",
    "posts": "Posts",
    "calendar": "Post calendar",
    "rejected": "Rejected posts",
    "no_rejected": "No post was rejected.",
    "summary_text": "Text",
    "due": "Due",
    "store_summary": "Stores",
    "title_col": "Name",
    "city": "City",
    "category": "Category",
    "change": "Change",
    "vs_previous": "vs previous period",
    "chart_reviews": "Reviews per month (bars) and average stars (line)",
    "chart_aspects": "Mentions per aspect, split by sentiment",
    "chart_insights": "Monthly totals",
    "chart_sources": "Impressions per month by source",
    "chart_trend": "Average ARP across scans (lower is better) and SoLV",
    "chart_calendar": "Posts per day",
    "status_published": "Published",
    "status_queued": "Queued",
    "status_failed": "Failed",
    "status_rejected": "Rejected",
    "attention": "Needs a person",
    "toc": "Contents",
}

JA: dict[str, str] = {
    "title": "ローカル集客レポート",
    "period": "期間",
    "stores": "店舗",
    "generated": "作成日時",
    "absent": "この期間のデータはありません",
    "absent_hint": "この期間・店舗の記録はありません。{command} を実行するとこの項目が埋まります。",
    "not_found": "圏外",
    "keywords_count": "キーワード {n} 件",
    "summary": "サマリー",
    "rating": "評価",
    "reviews_in_period": "期間中の口コミ",
    "unreplied_negative": "未返信の低評価（★1〜2）",
    "last_arp": "平均順位（ARP）",
    "last_solv": "上位3位の割合（SoLV）",
    "calls": "電話",
    "directions": "ルート検索",
    "website": "ウェブサイトのクリック",
    "impressions": "表示回数",
    "posts_published": "投稿（公開）",
    "posts_rejected": "投稿（却下）",
    "open_drift": "未解決の差異",
    "reviews": "評価と口コミ数",
    "month": "月",
    "average_stars": "平均評価",
    "review_count": "口コミ数",
    "aspects": "観点別の感情",
    "aspect": "観点",
    "positive": "ポジティブ",
    "neutral": "中立",
    "negative": "ネガティブ",
    "mentions": "言及数",
    "unreplied": "未返信の低評価口コミ",
    "store": "店舗",
    "stars": "評価",
    "date": "日付",
    "review": "口コミ",
    "more": "ほか {n} 件",
    "rank": "マップ順位",
    "keyword": "キーワード",
    "grid": "グリッド",
    "scan": "計測",
    "heatmap_caption": "各地点での順位。店舗の地点は枠で囲んでいます。– は圏外",
    "trend": "ARP と SoLV の推移",
    "arp": "ARP",
    "atrp": "ATRP",
    "solv": "SoLV",
    "scans": "計測回数",
    "lower_better": "低いほど良い",
    "insights": "プロフィールの表示と行動",
    "by_source": "表示回数（経路別）",
    "maps_mobile": "マップ（モバイル）",
    "maps_desktop": "マップ（PC）",
    "search_mobile": "検索（モバイル）",
    "search_desktop": "検索（PC）",
    "actions": "ユーザーの行動",
    "top_keywords": "検索キーワード上位",
    "below": "{n} 未満",
    "value": "ユーザー数",
    "profiles": "プロフィールの変更と差異",
    "runs": "反映した変更",
    "run": "実行",
    "kind": "種類",
    "started": "開始",
    "done": "完了",
    "failed": "失敗",
    "field": "項目",
    "ours": "設定値",
    "google": "Google の表示",
    "detected": "検出日",
    "no_drift": "未解決の差異はありません。設定どおりに表示されています。",
    "posts": "投稿",
    "calendar": "投稿カレンダー",
    "rejected": "却下された投稿",
    "no_rejected": "却下された投稿はありません。",
    "summary_text": "本文",
    "due": "予定日",
    "store_summary": "店舗一覧",
    "title_col": "店舗名",
    "city": "市区町村",
    "category": "カテゴリ",
    "change": "増減",
    "vs_previous": "前期間比",
    "chart_reviews": "月別の口コミ数（棒）と平均評価（線）",
    "chart_aspects": "観点ごとの言及数（感情別）",
    "chart_insights": "月別の合計",
    "chart_sources": "経路別の月別表示回数",
    "chart_trend": "計測ごとの平均 ARP（低いほど良い）と SoLV",
    "chart_calendar": "日別の投稿数",
    "status_published": "公開",
    "status_queued": "予約",
    "status_failed": "失敗",
    "status_rejected": "却下",
    "attention": "要対応",
    "toc": "目次",
}

_BY_LANGUAGE = {"en": EN, "ja": JA}


class Labels:
    """The words and number formats of one language."""

    def __init__(self, lang: str):
        if lang not in _BY_LANGUAGE:
            raise ValueError(f"no labels for language {lang!r}; choose one of {', '.join(LANGUAGES)}")
        self.lang = lang
        self._words = _BY_LANGUAGE[lang]

    def __getitem__(self, key: str) -> str:
        return self._words[key]

    def get(self, key: str, **values: object) -> str:
        return self._words[key].format(**values)

    def count(self, n: int | float | None) -> str:
        """Whole numbers with thousands separators (both languages use commas)."""
        if n is None:
            return "–"
        return f"{round(n):,}"

    def decimal(self, value: float | None, places: int = 1) -> str:
        return "–" if value is None else f"{value:,.{places}f}"

    def percent(self, share: float | None) -> str:
        return "–" if share is None else f"{share * 100:.0f}%"

    def signed(self, change: float | None) -> str:
        """A relative change as +12% / −5% (a real minus sign, read as such in both)."""
        if change is None:
            return "–"
        text = f"{abs(change) * 100:.0f}%"
        return ("+" if change >= 0 else "−") + text

    def day(self, value: date | str) -> str:
        moment = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        if self.lang == "ja":
            return f"{moment.year}年{moment.month}月{moment.day}日"
        return moment.isoformat()

    def month(self, value: str) -> str:
        """`2026-12` → `2026-12` or `2026年12月`."""
        year, month = value[:4], int(value[5:7])
        return f"{year}年{month}月" if self.lang == "ja" else f"{year}-{month:02d}"

    def short_month(self, value: str) -> str:
        """An axis tick: `Dec 26`-style is English-only, so both use `26/12` / `12月`."""
        month = int(value[5:7])
        return f"{month}月" if self.lang == "ja" else f"{value[2:4]}/{month:02d}"
