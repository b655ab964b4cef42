"""Places the synthetic chains live in: Tokyo-area wards and cities, Seattle-area cities.

Plain data, kept apart from the generator so `world.py` reads as the rules of the world.
Coordinates are approximate centres; stores scatter a few hundred metres around them.
"""

from __future__ import annotations

from typing import NamedTuple


class JpArea(NamedTuple):
    locality: str  # ward or city, e.g. 新宿区
    prefecture: str  # administrativeArea, e.g. 東京都
    postal3: str  # first three digits of the postal code
    phone_area: str  # area code after +81, e.g. "3"
    lat: float
    lng: float
    label: str  # a private label, e.g. tokyo-west
    towns: tuple[str, ...]  # neighbourhoods: store names and address towns


class UsArea(NamedTuple):
    locality: str
    state: str
    zip3: str
    phone_area: str
    lat: float
    lng: float
    label: str
    neighbourhoods: tuple[str, ...]


JP_AREAS: tuple[JpArea, ...] = (
    JpArea("新宿区", "東京都", "160", "3", 35.6938, 139.7034, "tokyo-west", ("新宿", "高田馬場", "神楽坂", "西新宿")),
    JpArea("渋谷区", "東京都", "150", "3", 35.6618, 139.7041, "tokyo-west", ("渋谷", "恵比寿", "代々木", "笹塚")),
    JpArea("豊島区", "東京都", "170", "3", 35.7295, 139.7109, "tokyo-west", ("池袋", "大塚", "巣鴨", "目白")),
    JpArea("千代田区", "東京都", "101", "3", 35.6940, 139.7536, "tokyo-central", ("神田", "秋葉原", "神保町", "飯田橋")),
    JpArea("中央区", "東京都", "104", "3", 35.6707, 139.7720, "tokyo-central", ("銀座", "八丁堀", "人形町", "月島")),
    JpArea("港区", "東京都", "105", "3", 35.6581, 139.7516, "tokyo-central", ("新橋", "浜松町", "田町", "六本木")),
    JpArea("台東区", "東京都", "110", "3", 35.7126, 139.7800, "tokyo-east", ("上野", "浅草", "御徒町", "入谷")),
    JpArea("墨田区", "東京都", "130", "3", 35.7107, 139.8015, "tokyo-east", ("錦糸町", "両国", "押上", "曳舟")),
    JpArea("江東区", "東京都", "135", "3", 35.6730, 139.8174, "tokyo-east", ("門前仲町", "豊洲", "亀戸", "清澄白河")),
    JpArea("文京区", "東京都", "113", "3", 35.7081, 139.7522, "tokyo-central", ("本郷", "春日", "茗荷谷", "千駄木")),
    JpArea("品川区", "東京都", "141", "3", 35.6092, 139.7302, "tokyo-south", ("五反田", "大井町", "武蔵小山", "戸越")),
    JpArea("目黒区", "東京都", "153", "3", 35.6415, 139.6982, "tokyo-south", ("中目黒", "学芸大学", "自由が丘", "祐天寺")),
    JpArea("大田区", "東京都", "144", "3", 35.5613, 139.7160, "tokyo-south", ("蒲田", "大森", "池上", "羽田")),
    JpArea("世田谷区", "東京都", "154", "3", 35.6466, 139.6532, "tokyo-west", ("三軒茶屋", "下北沢", "二子玉川", "経堂")),
    JpArea("中野区", "東京都", "164", "3", 35.7074, 139.6638, "tokyo-west", ("中野", "東中野", "新井薬師", "沼袋")),
    JpArea("杉並区", "東京都", "166", "3", 35.6995, 139.6364, "tokyo-west", ("高円寺", "阿佐ヶ谷", "荻窪", "西荻窪")),
    JpArea("北区", "東京都", "114", "3", 35.7528, 139.7336, "tokyo-north", ("王子", "赤羽", "田端", "十条")),
    JpArea("荒川区", "東京都", "116", "3", 35.7361, 139.7834, "tokyo-east", ("日暮里", "町屋", "三河島", "南千住")),
    JpArea("板橋区", "東京都", "173", "3", 35.7512, 139.7093, "tokyo-north", ("板橋", "大山", "成増", "高島平")),
    JpArea("練馬区", "東京都", "176", "3", 35.7356, 139.6517, "tokyo-north", ("練馬", "石神井公園", "大泉学園", "光が丘")),
    JpArea("足立区", "東京都", "120", "3", 35.7750, 139.8044, "tokyo-north", ("北千住", "綾瀬", "西新井", "竹ノ塚")),
    JpArea("葛飾区", "東京都", "124", "3", 35.7434, 139.8472, "tokyo-east", ("亀有", "金町", "新小岩", "柴又")),
    JpArea("江戸川区", "東京都", "132", "3", 35.7068, 139.8683, "tokyo-east", ("小岩", "葛西", "西葛西", "船堀")),
    JpArea("武蔵野市", "東京都", "180", "422", 35.7178, 139.5661, "tama", ("吉祥寺", "三鷹", "武蔵境")),
    JpArea("八王子市", "東京都", "192", "42", 35.6664, 139.3160, "tama", ("八王子", "南大沢", "北野")),
    JpArea("立川市", "東京都", "190", "42", 35.6980, 139.4140, "tama", ("立川", "西国立", "玉川上水")),
    JpArea("町田市", "東京都", "194", "42", 35.5484, 139.4386, "tama", ("町田", "鶴川", "成瀬")),
    JpArea("府中市", "東京都", "183", "42", 35.6689, 139.4776, "tama", ("府中", "分倍河原", "東府中")),
    JpArea("調布市", "東京都", "182", "42", 35.6506, 139.5407, "tama", ("調布", "仙川", "国領")),
    JpArea("横浜市西区", "神奈川県", "220", "45", 35.4660, 139.6223, "kanagawa", ("横浜", "みなとみらい", "戸部")),
    JpArea("川崎市川崎区", "神奈川県", "210", "44", 35.5308, 139.7029, "kanagawa", ("川崎", "京急川崎", "八丁畷")),
    JpArea("さいたま市大宮区", "埼玉県", "330", "48", 35.9063, 139.6237, "saitama", ("大宮", "さいたま新都心", "北大宮")),
    JpArea("千葉市中央区", "千葉県", "260", "43", 35.6074, 140.1065, "chiba", ("千葉", "本千葉", "千葉中央")),
)

US_AREAS: tuple[UsArea, ...] = (
    UsArea("Seattle", "WA", "981", "206", 47.6101, -122.3344, "seattle-core",
           ("Downtown", "Capitol Hill", "Ballard", "Fremont", "Queen Anne", "South Lake Union",
            "Pioneer Square", "Belltown", "Wallingford", "Green Lake", "University District",
            "West Seattle", "Columbia City", "Georgetown")),
    UsArea("Bellevue", "WA", "980", "425", 47.6104, -122.2007, "eastside",
           ("Downtown Bellevue", "Crossroads", "Factoria", "Bridle Trails")),
    UsArea("Redmond", "WA", "980", "425", 47.6740, -122.1215, "eastside",
           ("Redmond Town Center", "Overlake", "Education Hill")),
    UsArea("Kirkland", "WA", "980", "425", 47.6769, -122.2060, "eastside",
           ("Kirkland Waterfront", "Totem Lake", "Juanita")),
    UsArea("Bothell", "WA", "980", "425", 47.7623, -122.2054, "north-end", ("Canyon Park", "Bothell Landing")),
    UsArea("Everett", "WA", "982", "425", 47.9790, -122.2021, "north-end", ("Everett Station", "Silver Lake")),
    UsArea("Renton", "WA", "980", "425", 47.4829, -122.2171, "south-sound", ("The Landing", "Renton Highlands")),
    UsArea("Tacoma", "WA", "984", "253", 47.2529, -122.4443, "south-sound",
           ("Stadium District", "Proctor", "Hilltop", "Tacoma Mall")),
    UsArea("Olympia", "WA", "985", "360", 47.0379, -122.9007, "south-sound", ("Olympia Downtown", "Westside")),
    UsArea("Issaquah", "WA", "980", "425", 47.5301, -122.0326, "eastside", ("Issaquah Highlands", "Gilman Village")),
    UsArea("Portland", "OR", "972", "503", 45.5152, -122.6784, "region-oregon",
           ("Pearl District", "Hawthorne", "Alberta Arts", "Sellwood", "Nob Hill")),
    UsArea("Spokane", "WA", "992", "509", 47.6588, -117.4260, "inland", ("South Hill", "Kendall Yards")),
)

US_STREETS = (
    "5th Ave", "Pine St", "Pike St", "E Olive Way", "NW Market St", "Fremont Ave N", "Queen Anne Ave N",
    "Westlake Ave N", "1st Ave S", "2nd Ave", "N 45th St", "Roosevelt Way NE", "California Ave SW",
    "Rainier Ave S", "Bellevue Way NE", "NE 8th St", "Redmond Way", "Lake St S", "Main St",
    "Broadway", "Pacific Ave", "Hawthorne Blvd", "NE Alberta St", "Division St", "Central Way",
)

JP_BUILDINGS = ("さくらビル", "第一ビル", "駅前ビル", "中央ビル", "ハイツ", "プラザ", "センタービル")
