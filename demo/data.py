"""The demo's data tables: the Changji prefecture's delegations, handling units,
names, and the texts its suggestions, replies and ratings are written from."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from congress.models import (
    CongressLevel,
    UnitKind,
)
from suggestions.models import (
    ContactMethod,
    Disposition,
    Outcome,
)

REGION = "昌吉回族自治州"
BODY_NAME = f"{REGION}人民代表大会"
BODY_SHORT_NAME = "昌吉州人大"
ORDINAL = 16
LEVEL = CongressLevel.PREFECTURE
PASSWORD = "demo2023"  # noqa: S105 (the documented demo password)
SEED = 20230109
# Accounts made for every deputy and every unit's clerk (no usable password).
AUTO_PREFIX = "cj16-"

# The prefecture's 绩效考核 formula (dashboard.assessment's rule keys), in force
# from before the demo's first session: points for the work done, and, as the
# 2023 review says, points lost for re-handling and dissatisfaction.
ASSESSMENT_FROM = date(2022, 1, 1)
ASSESSMENT_NOTE = "州人大常委会代表建议办理绩效考核办法"
ASSESSMENT_WEIGHTS = {
    "acknowledged_on_time": 1,
    "plan_on_time": 1,
    "meeting_held": 1,
    "replied_on_time": 2,
    "outcome_resolved": 3,
    "outcome_in_progress": 2,
    "outcome_explained": 1,
    "outcome_reference": 0,
    "rating_satisfied": 3,
    "rating_basically_satisfied": 2,
    "rating_dissatisfied": 5,
    "attitude_satisfied": 1,
    "attitude_dissatisfied": 2,
    "rehandling": 3,
    "overdue": 2,
    "reassigned": 1,
}

CATEGORIES = ["工交财贸", "科教文卫", "农林水牧", "社会建设", "劳动人事", "其它"]

# (delegation, the place it stands for, deputies)
DELEGATIONS = [
    ("昌吉市代表团", "昌吉市", 92),
    ("阜康市代表团", "阜康市", 48),
    ("呼图壁县代表团", "呼图壁县", 45),
    ("玛纳斯县代表团", "玛纳斯县", 50),
    ("奇台县代表团", "奇台县", 52),
    ("吉木萨尔县代表团", "吉木萨尔县", 35),
    ("木垒哈萨克自治县代表团", "木垒县", 30),
]
PLACES = [place for _, place, _ in DELEGATIONS] + ["准东开发区", "昌吉高新区"]

ETHNICITIES = {
    "default": [
        ("汉族", 64),
        ("回族", 14),
        ("哈萨克族", 13),
        ("维吾尔族", 5),
        ("蒙古族", 2),
        ("满族", 1),
        ("锡伯族", 1),
    ],
    "昌吉市代表团": [
        ("汉族", 62),
        ("回族", 19),
        ("哈萨克族", 10),
        ("维吾尔族", 6),
        ("蒙古族", 1),
        ("满族", 1),
        ("锡伯族", 1),
    ],
    "木垒哈萨克自治县代表团": [
        ("汉族", 50),
        ("哈萨克族", 35),
        ("回族", 10),
        ("维吾尔族", 5),
    ],
}


# --- handling units -------------------------------------------------------------------


@dataclass(frozen=True)
class UnitDef:
    name: str
    short: str
    kind: str
    topics: tuple[str, ...] = ()


G = UnitKind.GOVERNMENT
SCB = UnitKind.STANDING_COMMITTEE_BODY
OTHER = UnitKind.OTHER
GOVERNMENT_NAME = "昌吉回族自治州人民政府"

UNITS = [
    UnitDef(GOVERNMENT_NAME, "州人民政府", G),
    UnitDef(
        "州发展和改革委员会",
        "州发改委",
        G,
        (
            "加快推进{place}重点项目前期工作",
            "支持{place}申报地方政府专项债券项目",
            "加快{place}新能源产业项目落地",
            "推进{place}天然气管网向乡镇延伸",
            "完善冬季清洁取暖价格补贴政策",
        ),
    ),
    UnitDef(
        "州教育局",
        "州教育局",
        G,
        (
            "加强{place}乡村教师队伍建设",
            "改善{place}农村寄宿制学校办学条件",
            "增加{place}城区公办幼儿园学位供给",
            "推进{place}义务教育优质均衡发展",
            "加强中小学生心理健康教育",
            "提高{place}中小学课后服务质量",
        ),
    ),
    UnitDef(
        "州科学技术局",
        "州科技局",
        G,
        (
            "加大企业科技创新培育力度",
            "支持{place}建设科技创新平台",
            "加快农业科技成果转化推广",
            "设立科技型中小企业专项扶持资金",
        ),
    ),
    UnitDef(
        "州工业和信息化局",
        "州工信局",
        G,
        (
            "推动{place}工业园区提质增效",
            "加快准东煤化工产业延链补链",
            "提升{place}农村地区5G网络覆盖",
            "支持中小企业专精特新发展",
        ),
    ),
    UnitDef(
        "州公安局",
        "州公安局",
        G,
        (
            "加强{place}城区交通秩序综合治理",
            "在{place}学校周边增设交通安全设施",
            "加强电信网络诈骗防范宣传",
            "优化户籍业务跨省通办服务",
            "加强{place}农村地区治安防控体系建设",
        ),
    ),
    UnitDef(
        "州民政局",
        "州民政局",
        G,
        (
            "加快{place}社区居家养老服务中心建设",
            "提高农村特困供养人员保障水平",
            "加强{place}农村互助养老幸福院建设",
            "规范殡葬服务收费管理",
            "加强困境儿童关爱保护",
        ),
    ),
    UnitDef(
        "州司法局",
        "州司法局",
        G,
        (
            "加强{place}基层公共法律服务体系建设",
            "推进人民调解员队伍专业化建设",
            "加大农牧区普法宣传力度",
        ),
    ),
    UnitDef(
        "州财政局",
        "州财政局",
        G,
        (
            "加大对{place}乡村振兴项目的财政支持力度",
            "提高村级组织运转经费保障标准",
            "加快涉企补贴资金拨付进度",
            "加强政府投资项目财政评审",
        ),
    ),
    UnitDef(
        "州人力资源和社会保障局",
        "州人社局",
        G,
        (
            "加大高校毕业生就业扶持力度",
            "加强{place}农牧民职业技能培训",
            "根治拖欠农民工工资问题",
            "提高基层事业单位专业技术岗位比例",
            "完善灵活就业人员社会保险参保政策",
        ),
    ),
    UnitDef(
        "州自然资源局",
        "州自然资源局",
        G,
        (
            "加快{place}农村不动产确权登记颁证",
            "保障{place}重点项目建设用地需求",
            "加强{place}矿山地质环境治理恢复",
            "优化{place}国土空间规划布局",
        ),
    ),
    UnitDef(
        "州生态环境局",
        "州生态环境局",
        G,
        (
            "加强{place}冬季大气污染防治",
            "推进{place}农村生活污水治理",
            "加强工业园区环境监管",
            "推进畜禽养殖废弃物资源化利用",
        ),
    ),
    UnitDef(
        "州住房和城乡建设局",
        "州住建局",
        G,
        (
            "加快{place}老旧小区改造",
            "推进{place}城市地下管网更新改造",
            "加强{place}保障性租赁住房建设",
            "解决{place}部分小区办证难问题",
            "规范住宅小区物业服务管理",
        ),
    ),
    UnitDef(
        "州交通运输局",
        "州交通运输局",
        G,
        (
            "加快{place}农村公路提档升级",
            "推进{place}城乡客运一体化",
            "改造{place}境内国省干线危桥",
            "完善{place}农村物流配送体系",
            "增设{place}城区公交线路和站点",
            "加快昌吉至{place}快速通道建设",
        ),
    ),
    UnitDef(
        "州水利局",
        "州水利局",
        G,
        (
            "加快推进{place}城乡供水一体化建设",
            "加快{place}高效节水灌溉工程建设",
            "实施{place}病险水库除险加固",
            "加强{place}山洪灾害防治",
            "推进{place}农村饮水安全巩固提升",
        ),
    ),
    UnitDef(
        "州农业农村局",
        "州农业农村局",
        G,
        (
            "加快{place}高标准农田建设",
            "支持{place}设施农业发展",
            "加强基层动物疫病防控体系建设",
            "推进{place}农村人居环境整治",
            "扶持{place}农产品精深加工企业发展",
            "推进{place}畜牧业转型升级",
        ),
    ),
    UnitDef(
        "州商务局",
        "州商务局",
        G,
        (
            "健全{place}县域商业体系",
            "支持{place}农产品电商发展",
            "促进{place}夜间经济发展",
            "扩大昌吉州特色农产品出口",
        ),
    ),
    UnitDef(
        "州文化体育广电和旅游局",
        "州文旅局",
        G,
        (
            "积极培育{place}精品旅游线路",
            "加强{place}文物保护利用",
            "推进{place}全民健身场地设施建设",
            "提升{place}乡村旅游服务水平",
            "加强农家书屋管理使用",
        ),
    ),
    UnitDef(
        "州卫生健康委员会",
        "州卫健委",
        G,
        (
            "加强{place}基层医疗卫生人才队伍建设",
            "提升{place}乡镇卫生院服务能力",
            "推进紧密型县域医共体建设",
            "加强儿童青少年近视防控",
            "加强妇幼保健服务能力建设",
        ),
    ),
    UnitDef(
        "州应急管理局",
        "州应急管理局",
        G,
        (
            "加强{place}基层应急救援队伍建设",
            "加强危险化学品企业安全监管",
            "提高{place}森林草原防灭火能力",
        ),
    ),
    UnitDef(
        "州市场监督管理局",
        "州市场监管局",
        G,
        (
            "加强校园食品安全监管",
            "规范{place}农贸市场管理",
            "加强电梯等特种设备安全监管",
            "加大知识产权保护力度",
        ),
    ),
    UnitDef(
        "州林业和草原局",
        "州林草局",
        G,
        (
            "加强{place}农田防护林体系建设",
            "推进{place}草原生态保护修复",
            "加强天山北坡野生动物保护",
        ),
    ),
    UnitDef(
        "州医疗保障局",
        "州医保局",
        G,
        (
            "提高城乡居民医保门诊报销比例",
            "推进医保异地就医直接结算",
            "将更多康复治疗项目纳入医保支付范围",
        ),
    ),
    UnitDef(
        "州退役军人事务局",
        "州退役军人事务局",
        G,
        (
            "加强退役军人就业创业扶持",
            "完善{place}退役军人服务站建设",
        ),
    ),
    UnitDef(
        "州乡村振兴局",
        "州乡村振兴局",
        G,
        (
            "巩固拓展{place}脱贫攻坚成果",
            "加强{place}帮扶车间建设",
            "完善防止返贫动态监测帮扶机制",
        ),
    ),
    UnitDef(
        "州城市管理局",
        "州城管局",
        G,
        (
            "规范{place}城区占道经营管理",
            "增加{place}城区公共停车位",
            "推进{place}城区生活垃圾分类",
        ),
    ),
    UnitDef(
        "州政务服务和公共资源交易中心",
        "州政务服务中心",
        G,
        (
            "推进政务服务一网通办",
            "优化{place}企业开办服务流程",
        ),
    ),
    UnitDef(
        "州监察委员会",
        "州监委",
        UnitKind.SUPERVISORY_COMMISSION,
        (
            "加强基层微腐败治理",
            "加强对惠农补贴资金发放的监督",
            "整治群众身边的不正之风和腐败问题",
        ),
    ),
    UnitDef(
        "州中级人民法院",
        "州中院",
        UnitKind.COURT,
        (
            "加强{place}诉源治理工作",
            "加大执行工作力度切实解决执行难",
            "推进{place}人民法庭建设",
            "加强涉企案件审判服务营商环境",
        ),
    ),
    UnitDef(
        "州人民检察院",
        "州检察院",
        UnitKind.PROCURATORATE,
        (
            "加强未成年人检察工作",
            "加强生态环境领域公益诉讼检察工作",
            "加强对{place}基层执法司法活动的法律监督",
        ),
    ),
    UnitDef(
        "州人大常委会财政经济工作委员会",
        "财经工委",
        SCB,
        (
            "加强对政府债务管理情况的监督",
            "开展优化营商环境条例执法检查",
        ),
    ),
    UnitDef(
        "州人大常委会教育科学文化卫生工作委员会",
        "教科文卫工委",
        SCB,
        (
            "开展义务教育法贯彻实施情况执法检查",
            "加强对基层医疗卫生服务工作的监督",
        ),
    ),
    UnitDef(
        "州人大常委会农业与农村工作委员会",
        "农业农村工委",
        SCB,
        (
            "开展农产品质量安全法执法检查",
            "加强对乡村振兴资金使用情况的监督",
        ),
    ),
    UnitDef(
        "州人大常委会社会建设工作委员会",
        "社会建设工委",
        SCB,
        (
            "开展养老服务体系建设专题调研",
            "加强对城乡社区治理工作的监督",
        ),
    ),
    UnitDef(
        "州人大常委会人事代表选举任免工作委员会",
        "人代选任工委",
        SCB,
        (
            "加强人大代表履职培训",
            "完善{place}人大代表联络站建设",
        ),
    ),
    UnitDef(
        "州人大常委会法制工作委员会",
        "法工委",
        SCB,
        ("制定昌吉州城乡容貌和环境卫生管理条例",),
    ),
    UnitDef(
        "州人大常委会监察和司法工作委员会",
        "监察司法工委",
        SCB,
        ("加强对司法机关执法办案工作的监督",),
    ),
    UnitDef(
        "州总工会",
        "州总工会",
        OTHER,
        (
            "加强新就业形态劳动者权益保障",
            "推进{place}户外劳动者服务驿站建设",
            "加大困难职工帮扶力度",
        ),
    ),
    UnitDef(
        "共青团昌吉回族自治州委员会",
        "团州委",
        OTHER,
        (
            "加强青少年思想引领和关爱服务",
            "支持青年返乡创业",
        ),
    ),
    UnitDef(
        "昌吉回族自治州妇女联合会",
        "州妇联",
        OTHER,
        (
            "加强妇女儿童合法权益保护",
            "加强家庭教育指导服务",
            "支持{place}妇女居家灵活就业",
        ),
    ),
    UnitDef(
        "昌吉回族自治州残疾人联合会",
        "州残联",
        OTHER,
        (
            "加强残疾儿童康复救助",
            "推进{place}无障碍环境建设",
            "扶持残疾人就业创业",
        ),
    ),
    UnitDef(
        "昌吉回族自治州科学技术协会",
        "州科协",
        OTHER,
        (
            "加强{place}青少年科普教育基地建设",
            "加强基层科普队伍建设",
        ),
    ),
    UnitDef(
        "昌吉回族自治州工商业联合会",
        "州工商联",
        OTHER,
        (
            "促进民营经济健康发展",
            "构建亲清政商关系",
        ),
    ),
    UnitDef(
        "昌吉回族自治州红十字会",
        "州红十字会",
        OTHER,
        (
            "加强应急救护培训普及",
            "加强无偿献血和造血干细胞捐献宣传",
        ),
    ),
    UnitDef(
        "国网新疆电力有限公司昌吉供电公司",
        "国网昌吉供电公司",
        OTHER,
        (
            "加快{place}农村电网改造升级",
            "解决{place}部分村组低电压问题",
            "加快{place}电动汽车充电基础设施建设",
        ),
    ),
    UnitDef(
        "国家税务总局昌吉回族自治州税务局",
        "州税务局",
        OTHER,
        (
            "落实小微企业减税降费政策",
            "优化{place}办税缴费服务",
        ),
    ),
    UnitDef(
        "昌吉回族自治州供销合作社联合社",
        "州供销社",
        OTHER,
        (
            "发挥供销社在农资供应中的作用",
            "建设{place}农产品冷链物流体系",
        ),
    ),
    UnitDef(
        "昌吉回族自治州气象局",
        "州气象局",
        OTHER,
        (
            "加强人工增雨防雹作业能力建设",
            "完善{place}农业气象灾害预警服务",
        ),
    ),
]

# The 2023 review's split: category → [(lead unit, suggestions)], by handler group.
# Government 249, other organs and organisations 34, standing committee bodies 12.
ALLOCATION_2023 = {
    "工交财贸": [
        ("州发改委", 14),
        ("州交通运输局", 16),
        ("州工信局", 8),
        ("州财政局", 8),
        ("州商务局", 6),
        ("州住建局", 9),
        ("州市场监管局", 4),
        ("州自然资源局", 3),
        ("州政务服务中心", 4),
        ("国网昌吉供电公司", 3),
        ("州税务局", 2),
        ("财经工委", 2),
    ],
    "科教文卫": [
        ("州教育局", 20),
        ("州卫健委", 17),
        ("州文旅局", 15),
        ("州科技局", 6),
        ("州医保局", 6),
        ("州科协", 2),
        ("州红十字会", 2),
        ("教科文卫工委", 3),
    ],
    "农林水牧": [
        ("州农业农村局", 22),
        ("州水利局", 16),
        ("州林草局", 6),
        ("州乡村振兴局", 7),
        ("州自然资源局", 4),
        ("州生态环境局", 5),
        ("州供销社", 1),
        ("州气象局", 1),
        ("农业农村工委", 3),
    ],
    "社会建设": [
        ("州民政局", 10),
        ("州住建局", 5),
        ("州城管局", 3),
        ("州应急管理局", 2),
        ("州退役军人事务局", 2),
        ("州公安局", 2),
        ("州妇联", 3),
        ("州残联", 3),
        ("团州委", 2),
        ("社会建设工委", 3),
    ],
    "劳动人事": [
        ("州人社局", 9),
        ("州总工会", 2),
        ("人代选任工委", 1),
    ],
    "其它": [
        ("州公安局", 7),
        ("州司法局", 4),
        ("州生态环境局", 4),
        ("州应急管理局", 2),
        ("州城管局", 2),
        ("州市场监管局", 1),
        ("州中院", 4),
        ("州检察院", 4),
        ("州监委", 3),
        ("州工商联", 1),
        ("州总工会", 1),
    ],
}


# --- names ----------------------------------------------------------------------------

HAN_SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董"
    "程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊"
    "金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎常武乔贺龚文"
)
HUI_SURNAMES = "马马马马杨杨李王张海白丁韩冶哈穆纳沙锁金"
XIBE_MANCHU_SURNAMES = "关佟那韩吴赵"
MALE_CHARS = "建志永海春文国新晓军勇伟刚涛斌磊鹏杰浩宇明亮峰强辉超俊波华林平德福贵龙成江山立兴旺学振宏宁晨博凯忠诚发祥玉"
FEMALE_CHARS = "秀丽芳娟敏静霞燕红梅玲艳萍莉华英兰凤琴云洁婷雪慧娜丹颖倩玉春新淑瑾"
KAZAKH_MALE = [
    "努尔兰",
    "叶尔兰",
    "别克",
    "哈那提",
    "阿曼",
    "加哈提",
    "叶尔肯",
    "赛力克",
    "巴合提",
    "木拉提",
    "达吾列提",
    "阿斯哈尔",
    "马合沙提",
    "叶尔波力",
    "波拉提",
    "吾拉力",
]
KAZAKH_FEMALE = [
    "古丽米拉",
    "阿依古丽",
    "玛依拉",
    "古丽娜尔",
    "阿依努尔",
    "加娜尔",
    "沙吾列",
    "哈丽达",
    "努尔古丽",
    "巴合提古丽",
    "阿勒腾",
    "古丽巴合提",
]
KAZAKH_FATHERS = [
    "哈力木",
    "吐尔洪",
    "托合塔尔",
    "努尔别克",
    "哈孜",
    "加帕尔",
    "卡力",
    "沙布尔",
    "叶尔江",
    "马木提",
    "胡安",
    "阿合买提",
    "热合木江",
    "哈布力",
]
UYGHUR_MALE = [
    "艾尔肯",
    "买买提",
    "阿不都热合曼",
    "艾力",
    "吐尔洪",
    "努尔买买提",
    "艾买尔",
    "麦麦提",
    "阿迪力",
    "亚森",
]
UYGHUR_FEMALE = [
    "古丽努尔",
    "热依拉",
    "阿依夏木",
    "帕提古丽",
    "米日古丽",
    "热孜宛古丽",
    "玉孜曼",
    "阿依努尔",
]
UYGHUR_FATHERS = [
    "吐尔逊",
    "阿不力孜",
    "买买提",
    "艾则孜",
    "司马义",
    "热合曼",
    "依明",
    "卡德尔",
    "阿吾提",
]
MONGOL_MALE = ["巴特尔", "额尔德尼", "孟克", "布和", "朝鲁", "苏和"]
MONGOL_FEMALE = ["其木格", "乌兰", "斯琴", "萨仁", "娜仁", "托娅"]
PHONE_PREFIXES = [
    "139",
    "138",
    "137",
    "136",
    "135",
    "150",
    "151",
    "152",
    "158",
    "159",
    "180",
    "181",
    "182",
    "187",
    "188",
    "189",
    "199",
    "177",
]


class NameMaker:
    """Realistic, unique names for the ethnic groups of Changji."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def _given(self, female: bool) -> str:
        chars = FEMALE_CHARS if female else MALE_CHARS
        if self.rng.random() < 0.3:
            return self.rng.choice(chars)
        first, second = self.rng.sample(chars, 2)
        return first + second

    def _one(self, ethnicity: str, female: bool) -> str:
        rng = self.rng
        if ethnicity == "哈萨克族":
            given = rng.choice(KAZAKH_FEMALE if female else KAZAKH_MALE)
            return f"{given}·{rng.choice(KAZAKH_FATHERS)}"
        if ethnicity == "维吾尔族":
            given = rng.choice(UYGHUR_FEMALE if female else UYGHUR_MALE)
            return f"{given}·{rng.choice(UYGHUR_FATHERS)}"
        if ethnicity == "蒙古族":
            return rng.choice(MONGOL_FEMALE if female else MONGOL_MALE)
        if ethnicity == "回族":
            surname = rng.choice(HUI_SURNAMES)
        elif ethnicity in ("满族", "锡伯族"):
            surname = rng.choice(XIBE_MANCHU_SURNAMES)
        else:
            surname = rng.choice(HAN_SURNAMES)
        return surname + self._given(female)

    def make(self, ethnicity: str = "汉族", female: bool = False) -> str:
        for _ in range(200):
            name = self._one(ethnicity, female)
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("ran out of names")  # pragma: no cover

    def official(self) -> str:
        """A Han or Hui name, for unit heads and clerks."""
        female = self.rng.random() < 0.35
        return self.make("回族" if self.rng.random() < 0.15 else "汉族", female)

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"


# --- texts ----------------------------------------------------------------------------

FIELDS = {
    "工交财贸": "经济发展和基础设施建设",
    "科教文卫": "教育、科技、文化和卫生健康事业",
    "农林水牧": "农业农村现代化和水利林草",
    "社会建设": "民生保障和基层社会治理",
    "劳动人事": "就业、社会保障和人才队伍建设",
    "其它": "法治建设和平安建设",
}
PROBLEMS = {
    "工交财贸": [
        "部分项目前期工作滞后，用地、环评等要素保障不够有力，影响项目落地见效",
        "基础设施建设欠账较多，部分路段通行能力不足，群众出行和货物运输不便",
        "中小微企业融资难、融资贵问题依然存在，企业发展后劲不足",
        "产业链条短、附加值低，龙头企业带动作用不明显",
        "部分惠企政策落实不到位，企业和群众获得感不强",
        "资金投入渠道单一，地方财力难以满足建设需求",
    ],
    "科教文卫": [
        "城乡之间、校际之间办学条件差距较大，优质资源分布不均衡",
        "基层专业技术人才引不进、留不住，队伍结构老化",
        "部分设施设备陈旧，难以满足群众日益增长的需求",
        "经费保障不足，日常运转和维护压力较大",
        "服务能力和水平与群众期盼还有差距",
        "宣传引导不够，群众知晓率和参与率不高",
    ],
    "农林水牧": [
        "部分农田水利设施老化失修，灌溉保证率不高",
        "农产品精深加工能力不足，产业链条短，农民增收渠道窄",
        "农业社会化服务体系不健全，科技支撑能力较弱",
        "生态保护与生产发展的矛盾依然存在，草原超载现象时有发生",
        "村级集体经济薄弱，基础设施管护机制不健全",
        "极端天气频发，防灾减灾能力有待提升",
    ],
    "社会建设": [
        "人口老龄化加快，养老服务供给总量不足、结构不优",
        "基层社会治理力量薄弱，网格员待遇偏低、队伍不稳定",
        "部分老旧小区配套设施不完善，居民生活不便",
        "特殊困难群体保障水平有待提高",
        "公共服务设施布局不合理，服务半径过大",
        "部门之间协调联动不够，问题处置效率不高",
    ],
    "劳动人事": [
        "就业结构性矛盾突出，高校毕业生就业难与企业招工难并存",
        "职业技能培训针对性不强，培训内容与市场需求脱节",
        "部分用人单位劳动用工不规范，劳动者合法权益得不到有效保障",
        "基层人才待遇偏低、晋升渠道窄，人才流失较为严重",
        "灵活就业人员社会保障覆盖面不足",
    ],
    "其它": [
        "群众法治意识有待增强，矛盾纠纷化解渠道不够畅通",
        "基层执法力量不足，执法规范化水平有待提高",
        "部分案件办理周期较长，群众反映较多",
        "源头治理和综合治理机制不健全",
        "信息化建设相对滞后，部门之间数据共享不充分",
    ],
}
MEASURES = {
    "工交财贸": [
        "建立重点项目包联推进机制，加快办理用地、环评等前期手续",
        "积极争取中央预算内投资和地方政府专项债券支持",
        "加大财政资金和金融支持力度，引导社会资本参与建设",
        "优化审批流程，压缩办理时限，提升服务效率",
        "加强部门协调配合，形成工作合力",
        "建立健全长效管护机制，确保项目建成后发挥效益",
        "出台配套扶持政策，培育壮大龙头企业",
    ],
    "科教文卫": [
        "加大财政投入，逐步改善基础设施和设备条件",
        "完善人才引进和激励政策，落实基层人员待遇",
        "推进优质资源下沉，建立城乡结对帮扶机制",
        "加强业务培训，提升专业服务能力",
        "加强宣传引导，提高群众知晓率和参与度",
        "建立考核评价机制，确保各项措施落到实处",
    ],
    "农林水牧": [
        "加大项目和资金倾斜力度，优先安排农田水利基础设施建设",
        "培育壮大新型农业经营主体，延伸农业产业链条",
        "加强农业科技推广和技术培训",
        "完善草畜平衡和生态补偿机制",
        "发展壮大村级集体经济，健全设施管护机制",
        "加强气象灾害监测预警，完善农业保险政策",
    ],
    "社会建设": [
        "加大养老服务设施建设投入，发展社区居家养老服务",
        "充实基层治理力量，提高网格员待遇保障",
        "统筹推进老旧小区改造和配套设施建设",
        "提高困难群众救助保障标准，做到应保尽保",
        "优化公共服务设施布局，打造一刻钟便民生活圈",
        "建立部门协同联动机制，提高问题处置效率",
    ],
    "劳动人事": [
        "拓宽就业渠道，开发更多适合高校毕业生的岗位",
        "开展订单式、定向式职业技能培训",
        "加大劳动保障监察执法力度，依法维护劳动者权益",
        "完善基层人才激励机制，在职称评聘等方面给予倾斜",
        "扩大社会保险覆盖面，引导灵活就业人员参保",
    ],
    "其它": [
        "深入开展法治宣传教育，提高群众法治意识",
        "充实基层执法力量，加强执法人员培训",
        "完善多元化矛盾纠纷化解机制，推进诉源治理",
        "加强信息化建设，推动部门数据共享",
        "健全监督制约机制，提高办案质效",
    ],
}
REPLY_ACTIONS = [
    "成立了由主要领导任组长的建议办理工作专班，制定办理方案，明确责任分工和完成时限。",
    "会同属地人民政府及相关部门深入实地调研，逐项梳理问题清单，研究解决措施。",
    "积极争取上级专项资金{amount}万元，已全部下达并用于相关项目建设。",
    "将建议所提事项纳入年度重点工作，定期调度推进，跟踪问效。",
    "组织相关业务科室召开专题会议，逐条研究代表所提建议的可行性。",
    "加强与自治区相关厅局的沟通衔接，争取政策和项目支持。",
    "制定出台了配套工作措施，进一步明确了工作目标、工作任务和保障措施。",
]
OUTCOME_TEXTS = {
    Outcome.RESOLVED: [
        "目前，建议所提问题已基本解决，相关工作已纳入常态化管理。",
        "截至目前，相关项目已建成投用，群众反映的问题得到有效解决。",
        "经过努力，建议所提事项已全部落实到位。",
    ],
    Outcome.IN_PROGRESS: [
        "该事项已列入我州“十四五”规划和{year}年度工作计划，目前正在开展前期工作，"
        "预计{next_year}年底前完成，届时将及时向您报告进展情况。",
    ],
    Outcome.EXPLAINED: [
        "经认真研究，建议所提事项涉及资金、政策等多方面因素，受现阶段财力和上级政策限制，"
        "暂不具备全面实施的条件。下一步，我们将积极向上争取政策和资金支持，"
        "待条件成熟后逐步推进解决。",
    ],
}
CO_OPINIONS = [
    "同意主办单位的办理思路，将在资金和政策方面给予积极配合",
    "建议将相关事项纳入年度项目计划统筹安排",
    "我单位将加强业务指导，配合做好相关工作",
    "将在职责范围内提供数据和技术支持",
]
# Why a lead unit replied while a co-unit's opinion was still awaited.
CO_OPINION_NOTE = "协办单位意见尚未反馈，为确保按期答复代表，先行答复；协办单位意见收到后一并研究落实。"
CONTACT_NOTES = {
    ContactMethod.VISIT: "办理人员赴{area}实地查看，与{deputy}代表面对面交流，详细了解建议所提问题，沟通办理思路。",
    ContactMethod.MEETING: "召开建议办理座谈会，邀请{deputy}代表参加，通报办理方案，听取代表意见，代表对办理方案表示认可。",
    ContactMethod.PHONE: "电话联系{deputy}代表，了解建议提出的背景和具体诉求，沟通初步办理意见。",
    ContactMethod.ONLINE: "通过视频连线与{deputy}代表沟通办理进展，代表补充提供了相关情况材料。",
}
SATISFIED_COMMENTS = [
    "办理态度认真，措施具体，问题得到解决。",
    "承办单位多次沟通，答复及时，表示满意。",
    "",
    "",
]
BASIC_COMMENTS = [
    "问题已部分解决，希望继续跟踪落实。",
    "答复较为具体，但落实进度还需加快。",
    "",
]
DISSATISFIED_COMMENTS = [
    "答复内容较为笼统，未提出具体解决措施和时间表，希望重新研究办理。",
    "承办单位未与本人进行实质性沟通，所提问题没有得到解决。",
    "答复以条件限制为由解释说明，但群众诉求较为迫切，希望进一步研究解决办法。",
]
EXTENSION_REASONS = [
    "该建议涉及项目立项、资金筹措等多个环节，需与自治区有关部门协调，难以在规定期限内办结，申请延期答复。",
    "该建议涉及多个部门和县市，情况较为复杂，需进一步调研论证，申请延期答复。",
]
EXTENSION_DENIAL = "经审核，该建议办理难度不大，请在规定期限内答复代表。"
REASSIGNMENT_REASON = "经研究，该建议所提事项主要属于{unit}的职责范围，我单位无相应管理职能，申请调整承办单位。"
REASSIGNMENT_DENIAL = "经审核，该建议所提事项与贵单位职责密切相关，请按期认真办理，并加强与相关部门的沟通协调。"
FULFILMENT_NOTE = "答复中列入计划的事项已于{date}完成，特向代表报告。"
# The promises (承诺事项) of a reply classed B, each due by {date}, and the lead
# unit's reports on them by how they ended.
PROMISE_TEXTS = (
    "{date}前制定具体实施方案，明确责任领导、承办人员和完成时限",
    "{date}前完成建议所提主要事项并向代表当面反馈",
)
PROMISE_REPORTS = {
    "kept": "已按承诺完成，并于{date}向代表当面反馈办理结果。",
    "partly": "主体工作已完成，剩余部分因资金原因顺延至下一年度实施。",
    "not_kept": "受项目审批进度影响未能按期完成，已纳入下一年度计划并向代表说明。",
}
WITHDRAW_REASONS = [
    "经与相关部门沟通，所提问题已得到解决，申请撤回。",
    "拟进一步调研后重新提出，申请撤回。",
]
# Matters that are not suggestions (docs/workflow.md, review at intake): title, body, reason,
# disposition.
NOT_SUGGESTIONS = [
    (
        "关于解决本人子女就近入学问题的建议",
        "本人子女今年秋季面临小学入学，因户籍所在地与实际居住地不一致，无法在居住地就近入学，恳请协调解决。",
        "所提事项属于代表本人家庭事务，不属于代表建议的范围。已退回代表，并告知可向属地教育部门反映。",
        Disposition.RETURNED,
    ),
    (
        "关于重新审理一起合同纠纷案件的建议",
        "某合同纠纷案件经两审终结，当事人认为判决不公，多次上访，建议法院重新审理。",
        "所提事项属于对具体案件的申诉，不宜作为代表建议交办，按代表来信转州中级人民法院依法处理。",
        Disposition.LETTER,
    ),
    (
        "关于调整全疆成品油价格的建议",
        "近年来成品油价格波动较大，运输企业和农机户成本上升，建议调整全疆成品油价格。",
        "所提事项属于国家和自治区事权，超出本级人大常委会交办范围，已转送有关部门参考。",
        Disposition.REFERENCE,
    ),
    (
        "关于加强城市管理、发展乡村旅游和提高教师待遇的建议",
        "一是加强城市管理，规范占道经营；二是加快发展乡村旅游；三是提高乡村教师待遇。",
        "一件建议包含多个互不相关的事项，不符合“一事一议”的要求，已退回代表，请分别提出。",
        Disposition.RETURNED,
    ),
    (
        "关于解决某企业拖欠本人亲属工程款问题的建议",
        "本人亲属承包某企业厂房建设工程，工程款至今未结清，请求督促该企业尽快支付。",
        "所提事项属于代表亲属个人事务的投诉，按代表来信转有关部门依法处理。",
        Disposition.LETTER,
    ),
]


# --- the county congresses ------------------------------------------------------------
#
# Two of the prefecture's counties have their own people's congress on the platform,
# each a body under the prefecture's with its own units, deputies and
# suggestions. County and city congresses were elected at the end of 2021 (their 18th
# term), so 2023's annual session was the term's third; they meet in the first days
# of January, before the prefecture's.

COUNTY_ORDINAL = 18
COUNTY_TERM_FIRST_YEAR = 2021
# What a county's units handle: the unit (after its 市/县 prefix), its short name,
# kind, the category its suggestions mostly fall under, and their topics.
COUNTY_UNITS = [
    (
        "发展和改革委员会",
        "发改委",
        G,
        "工交财贸",
        ("推进{place}农贸市场提升改造", "加快{place}天然气入户工程建设"),
    ),
    (
        "教育局",
        "教育局",
        G,
        "科教文卫",
        (
            "解决{place}学校上下学时段周边交通拥堵问题",
            "增加{place}公办幼儿园学位",
            "改善{place}农村学校冬季供暖条件",
        ),
    ),
    (
        "财政局",
        "财政局",
        G,
        "工交财贸",
        ("加大对{place}村级集体经济的扶持力度",),
    ),
    (
        "住房和城乡建设局",
        "住建局",
        G,
        "社会建设",
        (
            "加快{place}老旧小区改造",
            "解决{place}小区物业管理不规范问题",
            "推进{place}供热管网更新改造",
        ),
    ),
    (
        "交通运输局",
        "交通局",
        G,
        "工交财贸",
        ("硬化{place}村组道路", "增开{place}城乡公交线路"),
    ),
    (
        "农业农村局",
        "农业农村局",
        G,
        "农林水牧",
        ("加快{place}高标准农田建设", "支持{place}设施农业发展"),
    ),
    (
        "水利局",
        "水利局",
        G,
        "农林水牧",
        ("改造{place}农田灌溉渠系", "保障{place}农村饮水安全"),
    ),
    (
        "卫生健康委员会",
        "卫健委",
        G,
        "科教文卫",
        ("提升{place}村卫生室服务能力", "加强{place}家庭医生签约服务"),
    ),
    (
        "民政局",
        "民政局",
        G,
        "社会建设",
        ("建设{place}社区老年食堂", "加强{place}农村留守老人关爱服务"),
    ),
    (
        "人力资源和社会保障局",
        "人社局",
        G,
        "劳动人事",
        ("加强{place}农村劳动力转移就业培训", "规范{place}公益性岗位管理"),
    ),
    (
        "自然资源局",
        "自然资源局",
        G,
        "农林水牧",
        ("加快{place}农村宅基地确权登记",),
    ),
    (
        "城市管理局",
        "城管局",
        G,
        "社会建设",
        ("规范{place}占道经营管理", "增设{place}公共停车位"),
    ),
    ("人民法院", "法院", UnitKind.COURT, "其它", ("加强{place}诉源治理",)),
    (
        "人民检察院",
        "检察院",
        UnitKind.PROCURATORATE,
        "其它",
        ("加强未成年人司法保护",),
    ),
]


@dataclass(frozen=True)
class CountyDef:
    """A county's congress in the demo, and who of it logs in."""

    region: str
    short_name: str
    unit_prefix: str  # 市 or 县: 市教育局, 县交通运输局
    auto_prefix: str  # the placeholder accounts of its deputies and clerks
    seed: int
    # (delegation, the place it stands for, deputies): by township and street.
    delegations: tuple[tuple[str, str, int], ...]
    suggestions_2023: int
    suggestions_current: int
    # Demo logins of the county (role → username); a missing role is played by a
    # placeholder account. The clerk is of the unit named by ``clerk_unit``.
    logins: dict[str, str]
    clerk_unit: str = "教育局"
    # The prefecture's demo deputy also elected to this county's congress.
    dual_deputy: str | None = None

    @property
    def body_name(self) -> str:
        return f"{self.region}人民代表大会"

    def unit_name(self, unit: str) -> str:
        return f"{self.unit_prefix}{unit}"


COUNTIES = [
    CountyDef(
        region="昌吉市",
        short_name="昌吉市人大",
        unit_prefix="市",
        auto_prefix="cjs18-",
        seed=20230105,
        delegations=(
            ("宁边路街道代表团", "宁边路街道", 8),
            ("延安北路街道代表团", "延安北路街道", 7),
            ("北京南路街道代表团", "北京南路街道", 7),
            ("绿洲路街道代表团", "绿洲路街道", 6),
            ("榆树沟镇代表团", "榆树沟镇", 6),
            ("三工镇代表团", "三工镇", 6),
            ("六工镇代表团", "六工镇", 5),
            ("阿什里哈萨克民族乡代表团", "阿什里乡", 5),
        ),
        suggestions_2023=36,
        suggestions_current=22,
        logins={
            "staff": "county_staff",
            "leader": "county_leader",
            "unit": "county_unit",
            "deputy": "county_deputy",
        },
        dual_deputy="dual_deputy",
    ),
    CountyDef(
        region="玛纳斯县",
        short_name="玛纳斯县人大",
        unit_prefix="县",
        auto_prefix="mns18-",
        seed=20230106,
        delegations=(
            ("玛纳斯镇代表组", "玛纳斯镇", 8),
            ("包家店镇代表组", "包家店镇", 6),
            ("乐土驿镇代表组", "乐土驿镇", 6),
            ("凉州户镇代表组", "凉州户镇", 5),
            ("北五岔镇代表组", "北五岔镇", 5),
            ("兰州湾镇代表组", "兰州湾镇", 5),
            ("塔西河哈萨克族乡代表组", "塔西河乡", 4),
        ),
        suggestions_2023=30,
        suggestions_current=18,
        logins={"staff": "manas_staff"},
    ),
]

# The 五定 plans (定责任领导、定承办人员、定办理措施、定办理进度、定办结时限).
PLAN_STEPS = ["开展实地调研", "研究制定办理方案", "组织实施并与代表沟通"]
PLAN_MEASURES = [
    "成立由分管领导牵头的办理小组，深入实地调查了解《{title}》所提问题，"
    "会同相关部门研究解决办法，办理过程中与代表保持沟通。",
    "将《{title}》列入本单位年度重点工作，明确责任科室和承办人员，"
    "制定具体措施，按进度推进落实并及时向代表反馈。",
    "召开专题会议研究《{title}》，结合本单位职责和年度计划，"
    "分解任务、落实责任，确保按期办结。",
]
PLAN_PROGRESS = [
    "已完成实地调研，基本掌握情况。",
    "办理方案已经单位会议研究通过。",
    "各项措施正在落实，已与代表电话沟通办理进展。",
]
PLAN_LATE_REASONS = [
    "该建议涉及多个部门职责，需协调确定责任分工，计划制定有所延后。",
    "单位主要负责人调整，责任领导待明确，计划延后制定。",
]

# The government leaders who lead the handling of the 2023 key suggestions (领办领导):
# invented names, with the posts a prefecture's government has.
LEADING_LEADERS = (
    ("王建华", "州人民政府常务副州长"),
    ("李志强", "州人民政府副州长"),
    ("张红梅", "州人民政府副州长"),
    ("刘海涛", "州人民政府副州长"),
    ("陈永刚", "州人民政府副州长"),
)

# What a standing-committee leader's supervision activity found, by kind.
SUPERVISION_NOTES = {
    "visit": "赴{place}实地调研视察建议办理情况，听取承办单位汇报，督促按期办结。",
    "forum": "在{place}召开座谈会，承办单位与人大代表面对面沟通办理措施。",
    "on_site": "在{place}现场督办，逐项核实办理进度，要求承办单位限时落实。",
}
