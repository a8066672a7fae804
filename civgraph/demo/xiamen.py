"""The real administrative structure of Xiamen (厦门市) used by the demo city, and name pools.

Districts and their sub-districts (街道) and towns (镇) are the real ones; communities (社区) and
villages (村) get plausible generated names; every person is fictional.
"""

from __future__ import annotations

from typing import NamedTuple


class Place(NamedTuple):
    code: str  # last digits of the GB/T 2260-style code, e.g. "001"
    zh: str
    en: str
    town: bool  # True for a town (镇), False for a sub-district (街道)


class DistrictInfo(NamedTuple):
    code: str
    zh: str
    en: str
    places: tuple[Place, ...]


def _s(code: str, zh: str, en: str) -> Place:
    return Place(code, zh, en, False)


def _t(code: str, zh: str, en: str) -> Place:
    return Place(code, zh, en, True)


CITY_CODE = "350200"
CITY_ZH = "厦门市"
CITY_EN = "Xiamen"

DISTRICTS: tuple[DistrictInfo, ...] = (
    DistrictInfo(
        "350203",
        "思明区",
        "Siming District",
        (
            _s("001", "中华街道", "Zhonghua Subdistrict"),
            _s("002", "滨海街道", "Binhai Subdistrict"),
            _s("003", "厦港街道", "Xiagang Subdistrict"),
            _s("004", "鹭江街道", "Lujiang Subdistrict"),
            _s("005", "开元街道", "Kaiyuan Subdistrict"),
            _s("006", "梧村街道", "Wucun Subdistrict"),
            _s("007", "筼筜街道", "Yundang Subdistrict"),
            _s("008", "莲前街道", "Lianqian Subdistrict"),
            _s("009", "嘉莲街道", "Jialian Subdistrict"),
            _s("010", "鼓浪屿街道", "Gulangyu Subdistrict"),
        ),
    ),
    DistrictInfo(
        "350206",
        "湖里区",
        "Huli District",
        (
            _s("001", "湖里街道", "Huli Subdistrict"),
            _s("002", "殿前街道", "Dianqian Subdistrict"),
            _s("003", "禾山街道", "Heshan Subdistrict"),
            _s("004", "江头街道", "Jiangtou Subdistrict"),
            _s("005", "金山街道", "Jinshan Subdistrict"),
        ),
    ),
    DistrictInfo(
        "350211",
        "集美区",
        "Jimei District",
        (
            _s("001", "集美街道", "Jimei Subdistrict"),
            _s("002", "侨英街道", "Qiaoying Subdistrict"),
            _s("003", "杏林街道", "Xinglin Subdistrict"),
            _s("004", "杏滨街道", "Xingbin Subdistrict"),
            _t("101", "灌口镇", "Guankou Town"),
            _t("102", "后溪镇", "Houxi Town"),
        ),
    ),
    DistrictInfo(
        "350205",
        "海沧区",
        "Haicang District",
        (
            _s("001", "海沧街道", "Haicang Subdistrict"),
            _s("002", "新阳街道", "Xinyang Subdistrict"),
            _s("003", "嵩屿街道", "Songyu Subdistrict"),
            _s("004", "东孚街道", "Dongfu Subdistrict"),
        ),
    ),
    DistrictInfo(
        "350212",
        "同安区",
        "Tong'an District",
        (
            _s("001", "大同街道", "Datong Subdistrict"),
            _s("002", "祥平街道", "Xiangping Subdistrict"),
            _s("003", "西柯街道", "Xike Subdistrict"),
            _s("004", "新民街道", "Xinmin Subdistrict"),
            _t("101", "五显镇", "Wuxian Town"),
            _t("102", "洪塘镇", "Hongtang Town"),
            _t("103", "汀溪镇", "Tingxi Town"),
            _t("104", "莲花镇", "Lianhua Town"),
        ),
    ),
    DistrictInfo(
        "350213",
        "翔安区",
        "Xiang'an District",
        (
            _s("001", "大嶝街道", "Dadeng Subdistrict"),
            _s("002", "马巷街道", "Maxiang Subdistrict"),
            _s("003", "新店街道", "Xindian Subdistrict"),
            _s("004", "金海街道", "Jinhai Subdistrict"),
            _s("005", "凤翔街道", "Fengxiang Subdistrict"),
            _s("006", "民安街道", "Min'an Subdistrict"),
            _t("101", "内厝镇", "Neicuo Town"),
            _t("102", "新圩镇", "Xinxu Town"),
        ),
    ),
)

#: The 8 city-level systems (市直8个系统): civsys: local name → Chinese name, English name.
SYSTEMS: tuple[tuple[str, str, str], ...] = (
    ("party-work-committee", "市直机关党工委", "Working Committee for City Organs"),
    ("transport", "市交通委", "Municipal Transport Commission"),
    ("development-reform", "市发改委", "Municipal Development and Reform Commission"),
    ("economic-development", "市经发局", "Municipal Economic Development Bureau"),
    ("construction", "市建设局", "Municipal Construction Bureau"),
    ("state-assets", "市国资委", "Municipal State-owned Assets Commission"),
    ("education", "市教育局", "Municipal Education Bureau"),
    ("political-legal", "市政法委", "Municipal Political and Legal Affairs Commission"),
)

#: Other city departments: short key → Chinese name, English name.
CITY_DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("cgzf", "市城市管理行政执法局", "Municipal Urban Management and Law Enforcement Bureau"),
    ("szyl", "市市政园林局", "Municipal Public Works and Landscaping Bureau"),
    ("ga", "市公安局", "Municipal Public Security Bureau"),
    ("wjw", "市卫健委", "Municipal Health Commission"),
    ("sw", "市商务局", "Municipal Commerce Bureau"),
    ("scjg", "市市场监督管理局", "Municipal Market Supervision Administration"),
    ("sthj", "市生态环境局", "Municipal Ecology and Environment Bureau"),
    ("whly", "市文化和旅游局", "Municipal Culture and Tourism Bureau"),
    ("mz", "市民政局", "Municipal Civil Affairs Bureau"),
    ("xcb", "市委宣传部", "Publicity Department of the Municipal Party Committee"),
    ("cz", "市财政局", "Municipal Finance Bureau"),
    ("sl", "市水利局", "Municipal Water Resources Bureau"),
)

#: Departments every district has: short key → Chinese suffix, English suffix.
DISTRICT_DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("cg", "城市管理局", "Urban Management Bureau"),
    ("scjg", "市场监督管理局", "Market Supervision Administration"),
    ("wj", "卫生健康局", "Health Bureau"),
)

#: The four leadership bodies: body: local name → Chinese suffix, English suffix, short key.
BODIES: tuple[tuple[str, str, str, str], ...] = (
    ("party-committee", "委", "Party Committee", "pc"),
    ("npc-standing-committee", "人大常委会", "People's Congress Standing Committee", "npc"),
    ("government", "人民政府", "People's Government", "gov"),
    ("cppcc", "政协", "CPPCC Committee", "cppcc"),
)

#: HQ work groups: number → Chinese name, English name.
WORK_GROUPS: tuple[tuple[str, str], ...] = (
    ("政务环境组", "Government Environment Group"),
    ("法治环境组", "Rule of Law Environment Group"),
    ("市场环境组", "Market Environment Group"),
    ("人文环境组", "Cultural Environment Group"),
    ("未成年人成长环境组", "Youth Environment Group"),
    ("生活环境组", "Living Environment Group"),
    ("生态环境组", "Ecological Environment Group"),
    ("创建活动组", "Creation Activities Group"),
    ("督查考评组", "Inspection and Evaluation Group"),
    ("志愿服务组", "Volunteer Service Group"),
)

SURNAMES = (
    "陈林黄张李王吴刘蔡杨郑许谢洪郭邱曾廖赖徐周叶苏庄吕江何萧罗高潘简朱钟彭游詹胡施沈余卢"
    "梁颜柯翁魏孙戴范方宋邓杜傅侯曹薛丁卓马阮董唐温蓝蒋石古纪姚连冯欧程汤田康姜白汪邹尤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉志鹏晓东海燕雪梅婷"
    "俊斌宇浩凯宁琳颖欣怡思源嘉豪子涵雨泽梓轩博文昊然佳琪一诺鑫晨阳春瑜锋荣坤峰德福清"
)
PLACE_FIRST = "东西南北中新华安和兴莲湖海江龙凤金银福康禾梅桂松竹前后上下沙石山田溪浦林塘"
PLACE_SECOND = "山坑头尾园林苑里坂埔厝亭洲岭湾港庄墩埭兜美丰盛源泉园光明祥瑞仁福寿兴"

COMPLAINT_TOPICS: tuple[str, ...] = (
    "小区垃圾清运不及时",
    "道路破损影响通行",
    "夜间施工噪声扰民",
    "占道经营堵塞人行道",
    "公共厕所卫生差",
    "乱停车占用消防通道",
    "绿化带杂草丛生",
    "路灯损坏夜间无照明",
    "餐饮油烟扰民",
    "楼道堆放杂物",
    "小广告乱张贴",
    "井盖缺失存在安全隐患",
    "公交站台设施损坏",
    "农贸市场环境脏乱",
    "共享单车乱停放",
)
MEDIA_OUTLETS: tuple[str, ...] = (
    "厦门日报",
    "厦门晚报",
    "海西晨报",
    "厦门广电新闻",
    "台海网",
)
