"""Demo data: the 16th People's Congress of Changji Hui Autonomous Prefecture.

``load_demo()`` builds the congress, its 352 deputies in seven county/city
delegations, the handling units, three sessions and the demo accounts:

- the 2022 session (ordinal 1): 229 suggestions, all closed;
- the 2023 session (ordinal 2), whose statistics equal every figure of the 2023
  year-end review (``shared/reference/changji-2023-review.txt``, DESIGN.md §1): 295
  suggestions; 79/71/65/35/12/33 by category; 249/34/12 by handler group; 275/1/19
  outcomes; 265/30/0 ratings; 36 key supervised; plus a few rejected, merged and
  withdrawn ones that the statistics leave out;
- the current session, opened about four months before the day of loading, with
  suggestions in every state, some overdue and some due soon.

Only reference data (congress, rules, sessions, delegations, deputies, units,
categories, users, groups) is written directly. Every suggestion goes through the
service functions of ``services.py``, run with ``clock.frozen_at`` at plausible
historical moments, so that deadlines, numbers and the timeline are the services' own.
The builder first plans every step of every suggestion of a session with its moment,
then replays the steps in time order.

Everything is random but seeded, so two loads on the same day give the same data.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone

from accounts.models import LEADER_GROUP, STAFF_GROUP
from common import clock
from congress.calendar import WorkingDayCalendar, add_months
from congress.models import (
    Congress,
    CongressLevel,
    Delegation,
    Deputy,
    Gender,
    HandlingRules,
    HandlingUnit,
    Session,
    UnitKind,
)

from . import deadlines, services
from .models import (
    AdjustmentKind,
    AdjustmentRequest,
    Assignment,
    Category,
    Complexity,
    ContactMethod,
    ContactRecord,
    CoSignature,
    Disposition,
    Evaluation,
    Event,
    Outcome,
    Rating,
    Reply,
    Suggestion,
)

REGION = "昌吉回族自治州"
ORDINAL = 16
LEVEL = CongressLevel.PREFECTURE
PASSWORD = "demo2023"  # noqa: S105 (the documented demo password)
SEED = 20230109
# Accounts made for every deputy and every unit's clerk (no usable password).
AUTO_PREFIX = "cj16-"

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
WITHDRAW_REASONS = [
    "经与相关部门沟通，所提问题已得到解决，申请撤回。",
    "拟进一步调研后重新提出，申请撤回。",
]
# Matters that are not suggestions (RULES.md, intake review): title, body, reason,
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


# --- plans ----------------------------------------------------------------------------

APPROVED, DENIED, PENDING = "approved", "denied", "pending"


@dataclass
class Ref:
    """A suggestion that exists once its ``create`` step has run."""

    id: int | None = None
    title: str = ""
    lead: Deputy | None = None
    category: Category | None = None
    place: str = ""
    submitted: datetime | None = None
    last: datetime | None = None  # the latest step scheduled before handling
    assignments: dict[tuple[int, int], int] = field(default_factory=dict)


@dataclass
class RoundPlan:
    outcome: str | None  # None: no reply yet
    rating: str | None = None  # None: not rated yet
    contact: bool = True
    late: bool = False
    reply_on: date | None = None
    rate_on: date | None = None
    ack: bool = True  # rounds after the first: acknowledge the new assignment


@dataclass
class HandlingPlan:
    unit: HandlingUnit
    assign_on: date
    rounds: list[RoundPlan] = field(default_factory=list)
    co_units: list[HandlingUnit] = field(default_factory=list)
    co_opinions: bool = True
    complexity: str = Complexity.NORMAL
    key: bool = False
    mark_key_later: bool = False
    ack: bool = True
    ack_on: date | None = None
    wrong_unit: HandlingUnit | None = None  # assigned first, then reassigned
    reassignment: str | None = None  # approved / denied / pending
    reassignment_on: date | None = None
    extension: str | None = None  # approved / denied / pending
    extension_on: date | None = None
    publish: bool = False
    fulfil: bool = False


@dataclass
class Step:
    at: datetime
    seq: int
    run: Callable[[datetime], object]


@dataclass
class DemoResult:
    created: bool
    congress: Congress
    sessions: dict[str, Session]
    accounts: list[tuple[str, str]]
    seconds: float


# --- the builder ----------------------------------------------------------------------


def _placeholder(user) -> None:
    """An account made so that a deputy or a unit can act in the demo: nobody logs in
    with it, and its invented address is never written to."""
    user.set_unusable_password()
    if hasattr(user, "notify_email"):
        user.notify_email = False
    if hasattr(user, "notify_sms"):
        user.notify_sms = False


class _Builder:
    def __init__(self, today: date, say: Callable[[str], None]):
        self.today = today
        self.say = say
        self.rng = random.Random(SEED)
        self.names = NameMaker(self.rng)
        self.tz = timezone.get_default_timezone()
        # Every step of the current session happens before today.
        self.cap = datetime.combine(
            today - timedelta(days=1), dtime(20, 0), tzinfo=self.tz
        )
        self.opened = today - relativedelta(months=4)
        if self.opened.year < 2024:
            raise ValueError(
                "The demo's current session must open in 2024 or later "
                f"(it opens four months before {today})."
            )
        self.calendar = WorkingDayCalendar(date(2021, 12, 1), today + timedelta(400))
        self.steps: list[Step] = []
        self.seq = 0

    # --- reference data ---------------------------------------------------------------

    def build_reference(self) -> None:
        self.congress = Congress.objects.create(
            ordinal=ORDINAL, level=LEVEL, region=REGION
        )
        self.rules = HandlingRules.objects.create(congress=self.congress)
        self.categories = {}
        for position, name in enumerate(CATEGORIES, start=1):
            category, _ = Category.objects.update_or_create(
                name=name, defaults={"position": position}
            )
            self.categories[name] = category
        self._units()
        self._groups_and_staff()
        self._deputies()

    def _units(self) -> None:
        self.units: dict[str, HandlingUnit] = {}
        self.unit_defs: dict[str, UnitDef] = {}
        government = None
        for unit_def in UNITS:
            parent = government if unit_def.kind == G and government else None
            unit, _ = HandlingUnit.objects.update_or_create(
                name=unit_def.name,
                defaults={
                    "short_name": unit_def.short,
                    "kind": unit_def.kind,
                    "parent": parent,
                    "active": True,
                },
            )
            if unit_def.name == GOVERNMENT_NAME:
                government = unit
            self.units[unit_def.short] = unit
            self.unit_defs[unit_def.short] = unit_def
        # Each unit's head signs its replies.
        self.heads = {short: self.names.official() for short in self.units}

    def _groups_and_staff(self) -> None:
        User = get_user_model()
        self.staff_group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
        self.leader_group, _ = Group.objects.get_or_create(name=LEADER_GROUP)
        self.password_hash = make_password(PASSWORD)
        self.preexisting: set[str] = set()

        def account(username, name, *, groups=(), unit=None, superuser=False):
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, password=self.password_hash)
            else:
                self.preexisting.add(username)
            user.name = name
            user.email = user.email or f"{username}@changji-rd.example"
            user.unit = unit
            user.is_active = True
            user.is_staff = user.is_staff or superuser
            user.is_superuser = user.is_superuser or superuser
            user.save()
            user.groups.add(*groups)
            return user

        account("admin", "系统管理员", groups=[self.staff_group], superuser=True)
        self.staff = account("staff", "王芳", groups=[self.staff_group])
        self.leader = account("leader", "李主任", groups=[self.leader_group])
        self.clerks: dict[int, object] = {}
        edu, transport = self.units["州教育局"], self.units["州交通运输局"]
        self.clerks[edu.pk] = account("unit", self.names.official(), unit=edu)
        self.clerks[transport.pk] = account(
            "unit2", self.names.official(), unit=transport
        )
        for index, unit in enumerate(self.units.values(), start=1):
            if unit.pk not in self.clerks:
                self.clerks[unit.pk] = User(
                    username=f"{AUTO_PREFIX}u{index:02d}",
                    name=self.names.official(),
                    email=f"{AUTO_PREFIX}u{index:02d}@changji-rd.example",
                    unit=unit,
                )
        auto = [u for u in self.clerks.values() if u.pk is None]
        for user in auto:
            _placeholder(user)
        User.objects.bulk_create(auto)
        # bulk_create sets pks on SQLite and PostgreSQL; reload to be sure.
        by_name = {
            u.username: u
            for u in User.objects.filter(username__startswith=f"{AUTO_PREFIX}u")
        }
        for unit_pk, user in list(self.clerks.items()):
            if user.pk is None:
                self.clerks[unit_pk] = by_name[user.username]

    def _deputies(self) -> None:
        User = get_user_model()
        rng = self.rng
        self.delegations: list[Delegation] = []
        self.place_of: dict[int, str] = {}
        deputies: list[Deputy] = []
        for name, place, count in DELEGATIONS:
            delegation = Delegation.objects.create(congress=self.congress, name=name)
            self.delegations.append(delegation)
            self.place_of[delegation.pk] = place
            weights = ETHNICITIES.get(name, ETHNICITIES["default"])
            for _ in range(count):
                ethnicity = rng.choices(
                    [e for e, _ in weights], [w for _, w in weights]
                )[0]
                female = rng.random() < 0.32
                deputies.append(
                    Deputy(
                        delegation=delegation,
                        name=self.names.make(ethnicity, female),
                        gender=Gender.FEMALE if female else Gender.MALE,
                        ethnicity=ethnicity,
                        phone=self.names.phone(),
                        active=True,
                    )
                )
        users = []
        for index, deputy in enumerate(deputies, start=1):
            username = f"{AUTO_PREFIX}d{index:03d}"
            deputy.email = f"{username}@changji-rd.example"
            user = User(username=username, name=deputy.name, email=deputy.email)
            _placeholder(user)
            users.append(user)
        # The two demo deputies log in as ``deputy`` and ``deputy2``.
        chosen = {
            "deputy": next(
                i
                for i, d in enumerate(deputies)
                if d.delegation.name == "昌吉市代表团"
                and d.ethnicity == "汉族"
                and d.gender == Gender.MALE
            ),
            "deputy2": next(
                i
                for i, d in enumerate(deputies)
                if d.delegation.name == "奇台县代表团" and d.gender == Gender.FEMALE
            ),
        }
        for username, index in chosen.items():
            users[index] = User(
                username=username,
                name=deputies[index].name,
                email=deputies[index].email,
                password=self.password_hash,
            )
        existing = set(
            User.objects.filter(username__in=list(chosen)).values_list(
                "username", flat=True
            )
        )
        self.preexisting |= existing
        new_users = [u for u in users if u.username not in existing]
        User.objects.bulk_create(new_users)
        saved = {
            u.username: u
            for u in User.objects.filter(username__in=[u.username for u in users])
        }
        for deputy, user in zip(deputies, users, strict=True):
            deputy.user = saved[user.username]
        Deputy.objects.bulk_create(deputies)
        self.deputies = list(
            Deputy.objects.filter(delegation__congress=self.congress)
            .select_related("delegation", "user")
            .order_by("pk")
        )
        self.by_delegation: dict[int, list[Deputy]] = {}
        for deputy in self.deputies:
            self.by_delegation.setdefault(deputy.delegation_id, []).append(deputy)
        self.user_of = {d.pk: d.user for d in self.deputies}
        self.deputy = next(d for d in self.deputies if d.user.username == "deputy")
        self.deputy2 = next(d for d in self.deputies if d.user.username == "deputy2")

    def make_sessions(self) -> dict[str, Session]:
        self.sessions = {
            "2022": Session.objects.create(
                congress=self.congress, ordinal=1, year=2022, opened_on=date(2022, 1, 4)
            ),
            "2023": Session.objects.create(
                congress=self.congress, ordinal=2, year=2023, opened_on=date(2023, 1, 9)
            ),
            "current": Session.objects.create(
                congress=self.congress,
                ordinal=self.opened.year - 2021,
                year=self.opened.year,
                opened_on=self.opened,
                is_current=True,
            ),
        }
        return self.sessions

    # --- time -------------------------------------------------------------------------

    def _working(self, day: date) -> date:
        """The working day on or after ``day``, unless that reaches today; then the
        working day before, unless that is more than a week earlier."""
        forward = day
        while not self.calendar.is_working_day(forward):
            forward += timedelta(days=1)
        if forward < self.today:
            return forward
        back = day
        while not self.calendar.is_working_day(back) and day - back < timedelta(7):
            back -= timedelta(days=1)
        if self.calendar.is_working_day(back) and back < self.today:
            return back
        return min(day, self.today - timedelta(days=1))

    def _moment(self, day: date) -> datetime:
        """A moment in office hours on (about) ``day``."""
        day = self._working(day)
        minutes = self.rng.randrange(9 * 60 + 30, 18 * 60 + 30)
        return datetime.combine(day, dtime(minutes // 60, minutes % 60), tzinfo=self.tz)

    def _between(self, lo: datetime, hi: datetime) -> datetime:
        """A moment in office hours strictly after ``lo`` and before ``hi`` if one
        fits, else just after ``lo``."""
        if hi <= lo + timedelta(minutes=20):
            return lo + timedelta(minutes=self.rng.randrange(5, 15))
        lo_day, hi_day = timezone.localdate(lo), timezone.localdate(hi)
        for _ in range(6):
            day = lo_day + timedelta(self.rng.randrange((hi_day - lo_day).days + 1))
            moment = self._moment(day)
            if lo < moment < hi:
                return moment
        span = (hi - lo).total_seconds()
        return lo + timedelta(seconds=self.rng.uniform(0.2, 0.8) * span)

    def _after(self, moment: datetime, lo_days: float, hi_days: float) -> datetime:
        return self._between(
            moment + timedelta(days=lo_days), moment + timedelta(days=hi_days)
        )

    def _day_start(self, day: date) -> datetime:
        return datetime.combine(day, dtime(9, 0), tzinfo=self.tz)

    def _day_end(self, day: date) -> datetime:
        return datetime.combine(day, dtime(19, 0), tzinfo=self.tz)

    # --- steps ------------------------------------------------------------------------

    def add(self, at: datetime, run: Callable[[datetime], object]) -> datetime:
        at = min(at, self.cap)
        self.seq += 1
        self.steps.append(Step(at, self.seq, run))
        return at

    def replay(self) -> int:
        steps = sorted(self.steps, key=lambda s: (s.at, s.seq))
        for step in steps:
            with clock.frozen_at(step.at):
                step.run(step.at)
        self.steps = []
        return len(steps)

    # --- service calls ----------------------------------------------------------------

    def _assignment(self, ref: Ref, unit: HandlingUnit, round_: int) -> int:
        """The active assignment of ``unit`` in the round (looked up once)."""
        key = (unit.pk, round_)
        if key not in ref.assignments:
            ref.assignments = {
                (unit_id, number): pk
                for pk, unit_id, number in Assignment.objects.filter(
                    suggestion_id=ref.id, active=True
                ).values_list("pk", "unit_id", "round")
            }
        return ref.assignments[key]

    def _pending_request(self, ref: Ref, kind: str) -> int:
        return (
            AdjustmentRequest.objects.filter(
                assignment__suggestion_id=ref.id, kind=kind, decision="pending"
            )
            .values_list("pk", flat=True)
            .get()
        )

    def intake(
        self,
        session: Session,
        lead: Deputy,
        category: Category,
        *,
        created: datetime,
        title: str | None = None,
        body: str | None = None,
        topic_unit: HandlingUnit | None = None,
        cosigners: int = 0,
        extra_cosigners: list[Deputy] | tuple = (),
        invited_only: list[Deputy] | tuple = (),
        submit: datetime | None = None,
        preset_category: bool | None = None,
        exclude: set[int] | None = None,
    ) -> Ref:
        """Schedule the draft (with its invitations and co-signatures) and, if
        ``submit`` is given, its submission."""
        rng = self.rng
        place = self.place_of[lead.delegation_id]
        if rng.random() < 0.2:
            place = rng.choice(PLACES)
        if title is None:
            title, body = self.text(category.name, topic_unit, place)
        ref = Ref(title=title, lead=lead, category=category, place=place)
        exclude = set(exclude or ()) | {lead.pk}
        exclude |= {d.pk for d in extra_cosigners} | {d.pk for d in invited_only}
        signers = list(extra_cosigners) + self.pick_cosigners(lead, cosigners, exclude)
        unsigned = []
        if signers and rng.random() < 0.08:
            unsigned.append(signers.pop())
        unsigned += list(invited_only)
        if preset_category is None:
            preset_category = rng.random() < 0.4
        lead_user = self.user_of[lead.pk]

        def create(_at):
            suggestion = services.suggestion_create(
                actor=lead_user,
                session=session,
                title=title,
                body=body,
                category=category if preset_category else None,
                co_signers=[d.pk for d in signers + unsigned],
            )
            ref.id = suggestion.pk

        t = self.add(created, create)
        horizon = submit or self.cap
        for signer in signers:
            user = self.user_of[signer.pk]
            t = self.add(
                self._between(t, horizon - timedelta(minutes=30)),
                lambda _at, user=user: services.suggestion_cosign(
                    suggestion_id=ref.id, actor=user
                ),
            )
        if submit is not None:
            t = ref.submitted = self.add(
                max(submit, t + timedelta(minutes=10)),
                lambda _at: services.suggestion_submit(
                    suggestion_id=ref.id, actor=lead_user
                ),
            )
        ref.last = t
        return ref

    def pick_cosigners(self, lead: Deputy, n: int, exclude: set[int]) -> list[Deputy]:
        if n <= 0:
            return []
        same = [
            d for d in self.by_delegation[lead.delegation_id] if d.pk not in exclude
        ]
        others = [d for d in self.deputies if d.pk not in exclude]
        chosen: list[Deputy] = []
        for _ in range(n):
            pool = same if self.rng.random() < 0.8 else others
            pool = [d for d in pool if d not in chosen] or [
                d for d in others if d not in chosen
            ]
            chosen.append(self.rng.choice(pool))
        return chosen

    def _next(self, ref: Ref, at: datetime, *after: datetime | None) -> datetime:
        """``at``, or a little after the suggestion's last step (and ``after``) if
        that is later: holidays can push planned moments past each other."""
        for moment in (ref.last, *after):
            if moment is not None and at <= moment:
                at = moment + timedelta(minutes=self.rng.randrange(10, 90))
        ref.last = at
        return at

    def register(self, ref: Ref, at: datetime) -> datetime:
        return self.add(
            self._next(ref, at),
            lambda _at: services.suggestion_register(
                suggestion_id=ref.id, actor=self.staff, category=ref.category
            ),
        )

    def reject(self, ref: Ref, at: datetime, reason: str, disposition: str) -> None:
        self.add(
            self._next(ref, at),
            lambda _at: services.suggestion_reject(
                suggestion_id=ref.id,
                actor=self.staff,
                reason=reason,
                disposition=disposition,
            ),
        )

    def merge(self, ref: Ref, into: Ref, at: datetime) -> None:
        self.add(
            self._next(ref, at, into.submitted),
            lambda _at: services.suggestion_merge(
                suggestion_id=ref.id, actor=self.staff, into=into.id
            ),
        )

    def withdraw(self, ref: Ref, at: datetime) -> None:
        user = self.user_of[ref.lead.pk]
        reason = self.rng.choice(WITHDRAW_REASONS)
        self.add(
            self._next(ref, at),
            lambda _at: services.suggestion_withdraw(
                suggestion_id=ref.id, actor=user, reason=reason
            ),
        )

    def handle(
        self, ref: Ref, plan: HandlingPlan, *, earliest: datetime | None = None
    ) -> None:
        """Schedule the handling of a filed suggestion (filed before ``earliest``):
        assignment, acknowledgement, adjustment requests, co-units' opinions,
        contacts, replies and ratings."""
        rng, rules = self.rng, self.rules
        staff = self.staff
        t0 = self._next(ref, self._moment(plan.assign_on), earliest)
        assigned_on = timezone.localdate(t0)
        first = (
            plan.wrong_unit if plan.reassignment in (APPROVED, PENDING) else plan.unit
        )
        unit = plan.unit
        key = plan.key and not plan.mark_key_later
        co_units = [u for u in plan.co_units if u.pk not in (first.pk, unit.pk)]

        def assign(_at):
            services.suggestion_assign(
                suggestion_id=ref.id,
                actor=staff,
                lead_unit=first,
                co_units=co_units,
                complexity=plan.complexity,
                key_supervised=key,
                supervising_leader=self.leader if key else None,
            )

        t0 = self.add(t0, assign)
        if plan.mark_key_later:
            self.add(
                self._after(t0, 2, 10),
                lambda _at: services.suggestion_mark_key(
                    suggestion_id=ref.id,
                    actor=staff,
                    key_supervised=True,
                    supervising_leader=self.leader,
                ),
            )
        lead_start = t0
        acked = None
        if plan.reassignment:
            acked = self._ack(ref, first, 1, self._after(t0, 0, 1.5))
            asked = (
                self._moment(plan.reassignment_on)
                if plan.reassignment_on
                else self._after(acked, 1, 4)
            )
            asked = max(asked, acked + timedelta(minutes=30))
            reassign_reason = REASSIGNMENT_REASON.format(unit=unit.name)
            first_clerk = self.clerks[first.pk]
            self.add(
                asked,
                lambda _at: services.assignment_request_reassignment(
                    assignment_id=self._assignment(ref, first, 1),
                    actor=first_clerk,
                    reason=reassign_reason,
                ),
            )
            if plan.reassignment == PENDING:
                return
            decided = self._after(asked, 0.5, 3)
            if plan.reassignment == APPROVED:
                self.add(
                    decided,
                    lambda _at: services.adjustment_approve(
                        request_id=self._pending_request(
                            ref, AdjustmentKind.REASSIGNMENT
                        ),
                        actor=staff,
                        new_unit=unit,
                    ),
                )
                lead_start, acked = decided, None
            else:
                self.add(
                    decided,
                    lambda _at: services.adjustment_deny(
                        request_id=self._pending_request(
                            ref, AdjustmentKind.REASSIGNMENT
                        ),
                        actor=staff,
                        reason=REASSIGNMENT_DENIAL,
                    ),
                )
        if acked is None:
            if not plan.ack:
                return
            acked = self._ack(
                ref,
                unit,
                1,
                self._moment(plan.ack_on)
                if plan.ack_on
                else self._after(lead_start, 0, 2.5),
                not_before=lead_start,
            )

        due = deadlines.reply_due(rules, assigned_on, plan.complexity)
        effective_due = due
        rounds = plan.rounds or [RoundPlan(None)]
        first_round = rounds[0]
        # The reply comes after any decision on an extension.
        reply_floor = acked
        if plan.extension:
            limit = deadlines.extension_limit(rules, assigned_on)
            until = min(add_months(due, rng.choice([1, 2, 2, 3])), limit)
            asked = (
                self._moment(plan.extension_on)
                if plan.extension_on
                else self._between(
                    max(acked, self._day_start(due - timedelta(days=25))),
                    self._day_end(due - timedelta(days=8)),
                )
            )
            asked = max(asked, acked + timedelta(hours=1))
            unit_clerk = self.clerks[unit.pk]
            extension_reason = rng.choice(EXTENSION_REASONS)
            self.add(
                asked,
                lambda _at: services.assignment_request_extension(
                    assignment_id=self._assignment(ref, unit, 1),
                    actor=unit_clerk,
                    reason=extension_reason,
                    until=until,
                ),
            )
            reply_floor = asked
            if plan.extension in (APPROVED, DENIED):
                decided = self._after(asked, 1, 4)
                reply_floor = decided
                if plan.extension == APPROVED:
                    effective_due = until
                    self.add(
                        decided,
                        lambda _at: services.adjustment_approve(
                            request_id=self._pending_request(
                                ref, AdjustmentKind.EXTENSION
                            ),
                            actor=staff,
                        ),
                    )
                else:
                    self.add(
                        decided,
                        lambda _at: services.adjustment_deny(
                            request_id=self._pending_request(
                                ref, AdjustmentKind.EXTENSION
                            ),
                            actor=staff,
                            reason=EXTENSION_DENIAL,
                        ),
                    )
        reply_at = None
        if first_round.outcome:
            if first_round.reply_on:
                reply_at = self._moment(first_round.reply_on)
            elif first_round.late:
                reply_at = self._between(
                    self._day_start(effective_due + timedelta(days=3)),
                    self._day_end(effective_due + timedelta(days=25)),
                )
            elif effective_due != due:
                reply_at = self._between(
                    self._day_start(due + timedelta(days=3)),
                    self._day_end(effective_due - timedelta(days=2)),
                )
            else:
                reply_at = self._between(
                    max(acked + timedelta(days=20), t0 + timedelta(days=30)),
                    self._day_end(effective_due - timedelta(days=1)),
                )
            reply_at = max(
                reply_at, acked + timedelta(days=1), reply_floor + timedelta(hours=2)
            )
        horizon = reply_at or self.cap
        # Co-units: acknowledge, then send their opinion before the lead's reply.
        co_due = deadlines.co_unit_due(rules, assigned_on, due)
        for co_unit in co_units:
            co_acked = self._ack(
                ref,
                co_unit,
                1,
                self._after(t0, 0, 4),
                not_before=t0,
                before=horizon - timedelta(hours=3),
            )
            if plan.co_opinions and co_acked is not None:
                latest = min(self._day_end(co_due), horizon - timedelta(hours=2))
                if latest > co_acked + timedelta(days=2):
                    self._opinion(
                        ref,
                        co_unit,
                        self._between(co_acked + timedelta(days=2), latest),
                    )
        self._round(ref, unit, 1, first_round, acked, reply_at)
        if first_round.rating is None or reply_at is None:
            return
        rated = self._rate(ref, first_round, reply_at)
        for number, round_plan in enumerate(rounds[1:], start=2):
            previous = rounds[number - 2]
            if previous.rating != Rating.DISSATISFIED or not round_plan.ack:
                return
            round_due = deadlines.rehandling_due(rules, timezone.localdate(rated))
            acked = self._ack(ref, unit, number, self._after(rated, 0.5, 3))
            reply_at = None
            if round_plan.outcome:
                reply_at = (
                    self._moment(round_plan.reply_on)
                    if round_plan.reply_on
                    else self._between(
                        acked + timedelta(days=7),
                        self._day_end(round_due - timedelta(days=2)),
                    )
                )
                reply_at = max(reply_at, acked + timedelta(days=1))
            self._round(ref, unit, number, round_plan, acked, reply_at)
            if round_plan.rating is None or reply_at is None:
                return
            rated = self._rate(ref, round_plan, reply_at)
        if plan.publish:
            self.add(
                self._after(rated, 1, 20),
                lambda _at: services.suggestion_publish(
                    suggestion_id=ref.id, actor=staff, is_public=True
                ),
            )
        if plan.fulfil and rounds[-1].outcome == Outcome.IN_PROGRESS:
            kept = self._after(rated, 120, 240)
            last_round = len(rounds)
            kept_on = timezone.localdate(kept)
            note = FULFILMENT_NOTE.format(date=f"{kept_on.year}年{kept_on.month}月")

            def fulfil(_at):
                reply_id = Reply.objects.get(
                    assignment_id=self._assignment(ref, unit, last_round)
                ).pk
                services.reply_fulfil(
                    reply_id=reply_id, actor=self.clerks[unit.pk], note=note
                )

            self.add(kept, fulfil)

    def _ack(
        self,
        ref: Ref,
        unit: HandlingUnit,
        round_: int,
        at: datetime,
        *,
        not_before: datetime | None = None,
        before: datetime | None = None,
    ) -> datetime | None:
        if not_before is not None and at <= not_before:
            at = not_before + timedelta(minutes=self.rng.randrange(20, 120))
        if before is not None and at >= before:
            if before <= (not_before or at) + timedelta(minutes=10):
                return None
            at = self._between(not_before or at, before)
        clerk = self.clerks[unit.pk]
        return self.add(
            at,
            lambda _at: services.assignment_acknowledge(
                assignment_id=self._assignment(ref, unit, round_), actor=clerk
            ),
        )

    def _opinion(self, ref: Ref, unit: HandlingUnit, at: datetime) -> None:
        clerk = self.clerks[unit.pk]
        body = (
            f"关于《{ref.title}》的协办意见：我单位结合职责进行了认真研究，"
            f"{self.rng.choice(CO_OPINIONS)}，请主办单位在答复中统筹考虑。"
        )
        self.add(
            at,
            lambda _at: services.assignment_reply(
                assignment_id=self._assignment(ref, unit, 1),
                actor=clerk,
                outcome=Outcome.RESOLVED,
                body=body,
                signed_by=f"{unit.short_name} {self.heads[unit.short_name]}",
            ),
        )

    def _round(
        self,
        ref: Ref,
        unit: HandlingUnit,
        number: int,
        plan: RoundPlan,
        acked: datetime,
        reply_at: datetime | None,
    ) -> None:
        """A contact (if planned) and the lead reply (if planned) of one round."""
        clerk = self.clerks[unit.pk]
        if plan.contact:
            latest = (reply_at - timedelta(hours=4)) if reply_at else self.cap
            lo = acked + timedelta(days=2 if number == 1 else 1)
            if latest > lo:
                contacted = self._between(lo, latest)
                method = self.rng.choice(
                    [ContactMethod.VISIT, ContactMethod.MEETING]
                    + [ContactMethod.PHONE] * 2
                    + [ContactMethod.ONLINE]
                )
                area = ref.place or "现场"
                note = CONTACT_NOTES[method].format(area=area, deputy=ref.lead.name)
                self.add(
                    contacted,
                    lambda at: services.assignment_record_contact(
                        assignment_id=self._assignment(ref, unit, number),
                        actor=clerk,
                        method=method,
                        contacted_at=at,
                        note=note,
                    ),
                )
        if reply_at is None or plan.outcome is None:
            return
        body = self.reply_text(
            ref, unit, plan.outcome, number, reply_at, contacted=plan.contact
        )
        self.add(
            reply_at,
            lambda _at: services.assignment_reply(
                assignment_id=self._assignment(ref, unit, number),
                actor=clerk,
                outcome=plan.outcome,
                body=body,
                signed_by=f"{unit.short_name} {self.heads[unit.short_name]}",
            ),
        )

    def _rate(self, ref: Ref, plan: RoundPlan, reply_at: datetime) -> datetime:
        rated = (
            self._moment(plan.rate_on) if plan.rate_on else self._after(reply_at, 3, 14)
        )
        rated = max(rated, reply_at + timedelta(hours=2))
        comment = self.rng.choice(
            {
                Rating.SATISFIED: SATISFIED_COMMENTS,
                Rating.BASICALLY_SATISFIED: BASIC_COMMENTS,
                Rating.DISSATISFIED: DISSATISFIED_COMMENTS,
            }[plan.rating]
        )
        user = self.user_of[ref.lead.pk]
        return self.add(
            rated,
            lambda _at: services.suggestion_evaluate(
                suggestion_id=ref.id, actor=user, rating=plan.rating, comment=comment
            ),
        )

    # --- texts ------------------------------------------------------------------------

    def text(
        self, category: str, unit: HandlingUnit | None, place: str
    ) -> tuple[str, str]:
        rng = self.rng
        topics = self.unit_defs[unit.short_name].topics if unit else ()
        if not topics:
            topics = ("进一步做好" + FIELDS[category] + "工作",)
        topic = rng.choice(topics).format(place=place)
        title = f"关于{topic}的建议"
        area = place if "{place}" in topic or rng.random() < 0.5 else "我州"
        problems = rng.sample(PROBLEMS[category], 2)
        measures = rng.sample(MEASURES[category], 3)
        body = (
            f"近年来，{area}在{FIELDS[category]}方面做了大量工作，取得了积极成效。"
            f"但在{topic}方面，群众反映仍较为集中，经调研，主要存在以下问题：\n"
            f"一是{problems[0]}；\n二是{problems[1]}。\n\n"
            "为此，建议：\n"
            f"一、{measures[0]}。\n二、{measures[1]}。\n三、{measures[2]}。"
        )
        return title, body

    def reply_text(
        self,
        ref: Ref,
        unit: HandlingUnit,
        outcome: str,
        number: int,
        at: datetime,
        contacted: bool,
    ) -> str:
        rng = self.rng
        day = timezone.localdate(at)
        year = day.year
        actions = [
            a.format(amount=rng.choice([50, 80, 120, 200, 350, 500, 800, 1200]))
            for a in rng.sample(REPLY_ACTIONS, 2)
        ]
        result = rng.choice(OUTCOME_TEXTS[outcome]).format(
            year=year, next_year=year + 1
        )
        if number > 1:
            opening = "针对您对首次答复提出的意见，我单位重新进行了研究办理"
        else:
            opening = "我单位高度重视，主要领导专题研究，分管领导具体负责"
        if contacted:
            opening += "，并与您进行了沟通交流"
        return (
            f"尊敬的{ref.lead.name}代表：\n"
            f"您提出的《{ref.title}》收悉。{opening}。现将办理情况答复如下：\n"
            f"一、{actions[0]}\n二、{actions[1]}\n三、{result}\n"
            f"感谢您对{unit.short_name}工作的关心和支持，欢迎继续提出宝贵意见和建议。\n"
            f"{unit.name}\n{day.year}年{day.month}月{day.day}日"
        )

    # --- sessions ---------------------------------------------------------------------

    def _lead_pool(self, exclude=()) -> list[Deputy]:
        return [d for d in self.deputies if d.pk not in exclude]

    def _registration_times(
        self, refs_with_submit: list[tuple[Ref, datetime]], days: list[date]
    ) -> list[tuple[Ref, datetime]]:
        """Staff file a batch in the order handed in, spread over ``days``."""
        ordered = sorted(refs_with_submit, key=lambda r: r[1])
        per_day = -(-len(ordered) // len(days))
        result = []
        for index, (ref, submitted) in enumerate(ordered):
            day = self._working(days[index // per_day])
            slot = index % per_day
            start = datetime.combine(day, dtime(9, 30), tzinfo=self.tz)
            at = start + timedelta(minutes=slot * 8 * 60 / per_day)
            result.append((ref, max(at, submitted + timedelta(hours=1))))
        return result

    def _session_intake(
        self,
        session: Session,
        pairs: list[tuple[Category, HandlingUnit]],
        opened: date,
        days: int,
        cosigners: tuple[int, ...],
    ) -> list[tuple[Ref, datetime]]:
        """Suggestions handed in during a session: drafted and submitted on its
        days, most with co-signers."""
        rng = self.rng
        refs = []
        for category, unit in pairs:
            lead = rng.choice(self.deputies)
            created = self._moment(opened + timedelta(days=rng.randrange(days)))
            submit = self._after(created, 0.05, 1)
            n = rng.choice(cosigners)
            ref = self.intake(
                session,
                lead,
                category,
                created=created,
                submit=submit,
                topic_unit=unit,
                cosigners=n,
            )
            refs.append((ref, submit))
        return refs

    def _pairs_2023(self) -> list[tuple[Category, HandlingUnit]]:
        pairs = []
        for category, rows in ALLOCATION_2023.items():
            for short, n in rows:
                pairs += [(self.categories[category], self.units[short])] * n
        return pairs

    def _not_suggestions(self, session, opened, n, start=0, leads=None):
        """Items handed in during the session that staff do not accept."""
        refs = []
        for title, body, reason, disposition in NOT_SUGGESTIONS[start : start + n]:
            lead = self.rng.choice(leads or self.deputies)
            created = self._moment(opened + timedelta(days=self.rng.randrange(3)))
            ref = self.intake(
                session,
                lead,
                self.categories["其它"],
                created=created,
                submit=self._after(created, 0.05, 1),
                title=title,
                body=body,
                preset_category=False,
            )
            refs.append((ref, reason, disposition))
        return refs

    def session_2022(self) -> None:
        rng = self.rng
        session = self.sessions["2022"]
        pairs = [rng.choice(self._pairs_2023()) for _ in range(229)]
        refs = self._session_intake(
            session, pairs, session.opened_on, 3, (0, 0, 0, 0, 1, 1, 2, 3)
        )
        regs = self._registration_times(
            refs, [date(2022, 1, d) for d in (10, 11, 12, 13)]
        )
        for ref, at in regs:
            self.register(ref, at)
        units = {id(ref): unit for (ref, _), (_, unit) in zip(refs, pairs, strict=True)}
        n = len(regs)
        key = set(rng.sample(range(n), 30))
        special = rng.sample(range(n), 5)
        rehandled, extended = set(special[:3]), set(special[3:])
        for index, (ref, registered) in enumerate(regs):
            outcome = rng.choices(
                [Outcome.RESOLVED, Outcome.IN_PROGRESS, Outcome.EXPLAINED], [80, 8, 12]
            )[0]
            if outcome == Outcome.RESOLVED:
                rating = rng.choices(
                    [Rating.SATISFIED, Rating.BASICALLY_SATISFIED], [9, 1]
                )[0]
            elif outcome == Outcome.IN_PROGRESS:
                rating = rng.choice([Rating.SATISFIED, Rating.BASICALLY_SATISFIED])
            else:
                rating = rng.choices(
                    [Rating.SATISFIED, Rating.BASICALLY_SATISFIED], [3, 7]
                )[0]
            rounds = [
                RoundPlan(
                    outcome,
                    rating,
                    contact=rng.random() < 0.88,
                    late=rng.random() < 0.05,
                )
            ]
            if index in rehandled:
                rounds = [
                    RoundPlan(Outcome.EXPLAINED, Rating.DISSATISFIED),
                    RoundPlan(Outcome.RESOLVED, Rating.SATISFIED),
                ]
            unit = units[id(ref)]
            self.handle(
                ref,
                HandlingPlan(
                    unit=unit,
                    assign_on=date(2022, 1, rng.choice([20, 20, 20, 21])),
                    rounds=rounds,
                    co_units=self._co_units(unit, 0.1),
                    key=index in key,
                    publish=rng.random() < 0.5,
                    fulfil=rng.random() < 0.5,
                    extension=APPROVED if index in extended else None,
                ),
                earliest=registered,
            )

    def _co_units(self, lead: HandlingUnit, probability: float) -> list[HandlingUnit]:
        if self.rng.random() >= probability:
            return []
        government = [
            u
            for short, u in self.units.items()
            if u.kind == G and u.pk != lead.pk and short != "州人民政府"
        ]
        return self.rng.sample(government, self.rng.choice([1, 1, 1, 2]))

    def session_2023(self) -> None:
        """The session of the 2023 year-end review, figure for figure."""
        rng = self.rng
        session = self.sessions["2023"]
        opened = session.opened_on
        pairs = self._pairs_2023()
        rng.shuffle(pairs)
        n = len(pairs)  # 295
        refs = self._session_intake(
            session, pairs, opened, 3, (0, 0, 0, 1, 1, 1, 2, 2, 3, 4)
        )
        units = {id(ref): unit for (ref, _), (_, unit) in zip(refs, pairs, strict=True)}

        # Two are handed in twice on the same matter and merged; one is withdrawn;
        # four are not suggestions at all.
        merged = []
        for target, _ in rng.sample(refs, 2):
            lead = rng.choice(
                [
                    d
                    for d in self.by_delegation[target.lead.delegation_id]
                    if d.pk != target.lead.pk
                ]
            )
            created = self._moment(opened + timedelta(days=rng.randrange(3)))
            title = target.title.replace("关于", "关于进一步", 1)
            ref = self.intake(
                session,
                lead,
                target.category,
                created=created,
                submit=self._after(created, 0.05, 1),
                title=title,
                body=self.text(target.category.name, units[id(target)], target.place)[
                    1
                ],
            )
            merged.append((ref, target))
        withdrawn_lead = rng.choice(self.deputies)
        withdrawn = self.intake(
            session,
            withdrawn_lead,
            self.categories["工交财贸"],
            created=self._moment(opened),
            submit=self._moment(opened + timedelta(days=1)),
            topic_unit=self.units["州商务局"],
        )
        self.withdraw(withdrawn, self._moment(opened + timedelta(days=3)))
        rejected = self._not_suggestions(session, opened, 4)

        batch = list(refs) + [(r, r.submitted) for r, _ in merged]
        batch += [(r, r.submitted) for r, _, _ in rejected]
        regs = self._registration_times(
            batch, [date(2023, 1, d) for d in (16, 17, 18, 19)]
        )
        merged_into = {id(r): t for r, t in merged}
        rejection = {id(r): (reason, disp) for r, reason, disp in rejected}
        registered = {}
        for ref, at in regs:
            if id(ref) in merged_into:
                self.merge(ref, merged_into[id(ref)], at)
            elif id(ref) in rejection:
                self.reject(ref, at, *rejection[id(ref)])
            else:
                self.register(ref, at)
                registered[id(ref)] = at

        # Outcomes 275/1/19 and ratings 265/30/0 of the latest round.
        indices = list(range(n))
        rng.shuffle(indices)
        outcome = dict.fromkeys(range(n), Outcome.RESOLVED)
        rating = dict.fromkeys(range(n), Rating.SATISFIED)
        outcome[indices[0]] = Outcome.IN_PROGRESS
        rating[indices[0]] = Rating.BASICALLY_SATISFIED
        for position, i in enumerate(indices[1:20]):
            outcome[i] = Outcome.EXPLAINED
            rating[i] = (
                Rating.BASICALLY_SATISFIED if position < 14 else Rating.SATISFIED
            )
        resolved = indices[20:]
        for i in resolved[:15]:
            rating[i] = Rating.BASICALLY_SATISFIED
        # Special handling for disjoint sets of resolved suggestions.
        special = list(resolved)
        rng.shuffle(special)
        rehandled = set(special[:5])
        government = [i for i in special[5:] if units[id(refs[i][0])].kind == G]
        reassigned = government[:3]
        reassign_denied = government[3]
        extended = set(government[4:8])
        extension_denied = government[8]
        complex_ = set(government[9:17])
        late = set(government[17:26])
        key = set(rng.sample(range(n), 36))
        wrong_units = [
            u
            for u in self.units.values()
            if u.kind == G and u.short_name != "州人民政府"
        ]
        for i, (ref, _) in enumerate(refs):
            unit = units[id(ref)]
            rounds = [
                RoundPlan(
                    outcome[i],
                    rating[i],
                    contact=rng.random() < 0.93,
                    late=i in late,
                )
            ]
            if i in rehandled:
                rounds = [
                    RoundPlan(Outcome.EXPLAINED, Rating.DISSATISFIED),
                    RoundPlan(outcome[i], rating[i]),
                ]
            plan = HandlingPlan(
                unit=unit,
                assign_on=date(2023, 2, rng.choice([2, 2, 2, 2, 3, 6])),
                rounds=rounds,
                co_units=self._co_units(unit, 0.25),
                complexity=Complexity.COMPLEX if i in complex_ else Complexity.NORMAL,
                key=i in key,
                publish=rng.random() < 0.7,
            )
            if i in reassigned:
                plan.wrong_unit = rng.choice(
                    [u for u in wrong_units if u.pk != unit.pk]
                )
                plan.reassignment = APPROVED
            elif i == reassign_denied:
                plan.reassignment = DENIED
            if i in extended:
                plan.extension = APPROVED
            elif i == extension_denied:
                plan.extension = DENIED
            self.handle(ref, plan, earliest=registered[id(ref)])

    # --- the current session ----------------------------------------------------------

    def session_current(self) -> None:
        """Suggestions in every state, dated relative to today."""
        rng = self.rng
        session = self.sessions["current"]
        today, opened = self.today, self.opened
        cat, units = self.categories, self.units
        edu, transport = units["州教育局"], units["州交通运输局"]
        me, me2 = self.deputy, self.deputy2
        reserved = {me.pk, me2.pk}
        leads = self._lead_pool(reserved)
        home = self._home_categories()
        pairs = self._pairs_2023()

        def days_ago(n: int) -> date:
            return today - timedelta(days=n)

        def pick(unit=None):
            if unit is None:
                return rng.choice(pairs)
            return cat[home[unit.short_name]], unit

        def outcome_and_rating():
            outcome = rng.choices(
                [Outcome.RESOLVED, Outcome.IN_PROGRESS, Outcome.EXPLAINED], [8, 1, 1]
            )[0]
            rating = rng.choices(
                [Rating.SATISFIED, Rating.BASICALLY_SATISFIED], [4, 1]
            )[0]
            return outcome, rating

        # Handed in during the session, filed a week later and assigned at the
        # assignment meeting two weeks after the opening: due about two weeks ago.
        meeting = opened + timedelta(days=14)
        session_batch: list[tuple[Ref, HandlingPlan | None]] = []

        def during_session(plan_kwargs=None, unit=None, lead=None, **intake):
            category, unit = pick(unit)
            created = self._moment(opened + timedelta(days=rng.randrange(3)))
            ref = self.intake(
                session,
                lead or rng.choice(leads),
                category,
                created=created,
                submit=self._after(created, 0.05, 1),
                topic_unit=unit,
                cosigners=rng.choice([0, 1, 2, 3]),
                exclude=reserved,
                **intake,
            )
            plan = None
            if plan_kwargs is not None:
                plan = HandlingPlan(unit=unit, assign_on=meeting, **plan_kwargs)
            session_batch.append((ref, plan))
            return ref

        # Closed: replied and rated well before today.
        closed_units = [edu, transport] + [None] * 12
        for index, unit in enumerate(closed_units):
            outcome, rating = outcome_and_rating()
            reply_on = opened + timedelta(days=rng.randrange(35, 85))
            during_session(
                {
                    "rounds": [
                        RoundPlan(
                            outcome,
                            rating,
                            reply_on=reply_on,
                            rate_on=reply_on + timedelta(days=rng.randrange(3, 14)),
                            contact=rng.random() < 0.9,
                        )
                    ],
                    "co_units": self._co_units(edu, 0.3),
                    "key": index in (2, 5),
                    "publish": rng.random() < 0.5,
                },
                unit=unit,
                lead=me2 if index == 3 else None,
                extra_cosigners=[me] if index == 4 else (),
            )
        # Closed after re-handling.
        during_session(
            {
                "rounds": [
                    RoundPlan(
                        Outcome.EXPLAINED,
                        Rating.DISSATISFIED,
                        reply_on=opened + timedelta(days=45),
                        rate_on=opened + timedelta(days=55),
                    ),
                    RoundPlan(
                        Outcome.RESOLVED,
                        Rating.SATISFIED,
                        reply_on=opened + timedelta(days=75),
                        rate_on=opened + timedelta(days=82),
                    ),
                ],
                "publish": True,
            }
        )
        # Replied four weeks ago and still not rated (the rating reminder is due).
        during_session({"rounds": [RoundPlan(Outcome.RESOLVED, reply_on=days_ago(28))]})
        # Re-handling: due in about ten days; and overdue.
        during_session(
            {
                "rounds": [
                    RoundPlan(
                        Outcome.EXPLAINED,
                        Rating.DISSATISFIED,
                        reply_on=days_ago(32),
                        rate_on=days_ago(20),
                    ),
                    RoundPlan(None),
                ],
            },
            lead=me2,
        )
        during_session(
            {
                "rounds": [
                    RoundPlan(
                        Outcome.IN_PROGRESS,
                        Rating.DISSATISFIED,
                        reply_on=days_ago(55),
                        rate_on=days_ago(42),
                    ),
                    RoundPlan(None),
                ],
            },
            unit=transport,
        )
        # Overdue: not replied by the deadline of about two weeks ago.
        during_session(
            {"rounds": [RoundPlan(None)], "co_units": [units["州财政局"]], "key": True},
            unit=transport,
        )
        during_session({"rounds": [RoundPlan(None)]}, unit=edu)
        during_session({"rounds": [RoundPlan(None, contact=False)]})
        during_session({"rounds": [RoundPlan(None)], "ack": False})
        # More time granted.
        during_session(
            {
                "rounds": [RoundPlan(None)],
                "extension": APPROVED,
                "extension_on": days_ago(35),
                "key": True,
                "co_units": [units["州财政局"], units["州自然资源局"]],
            },
            unit=units["州水利局"],
        )
        # The same matter handed in twice, merged at filing; one withdrawn.
        target = session_batch[0][0]
        created = self._moment(opened + timedelta(days=1))
        twin = self.intake(
            session,
            rng.choice(leads),
            target.category,
            created=created,
            submit=self._after(created, 0.1, 1),
            title=target.title.replace("关于", "关于尽快", 1),
            body=self.text(target.category.name, None, target.place)[1],
            exclude=reserved,
        )
        created = self._moment(opened)
        withdrawn = self.intake(
            session,
            rng.choice(leads),
            cat["社会建设"],
            created=created,
            submit=self._after(created, 0.1, 1),
            topic_unit=units["州民政局"],
            exclude=reserved,
        )
        self.withdraw(withdrawn, self._moment(opened + timedelta(days=3)))
        # Not suggestions.
        not_suggestions = self._not_suggestions(session, opened, 2, 1, leads)

        batch = [(ref, ref.submitted) for ref, _ in session_batch]
        batch += [(twin, twin.submitted)]
        batch += [(ref, ref.submitted) for ref, _, _ in not_suggestions]
        regs = self._registration_times(
            batch, [opened + timedelta(days=d) for d in (7, 8, 9)]
        )
        rejection = {id(r): (reason, disp) for r, reason, disp in not_suggestions}
        registered = {}
        for ref, at in regs:
            if ref is twin:
                self.merge(twin, target, at)
            elif id(ref) in rejection:
                self.reject(ref, at, *rejection[id(ref)])
            else:
                self.register(ref, at)
                registered[id(ref)] = at
        for ref, plan in session_batch:
            self.handle(ref, plan, earliest=registered[id(ref)])

        # Handed in between sessions (闭会期间), filed and assigned as they come.
        def between_sessions(
            assign_on, plan_kwargs=None, unit=None, lead=None, **intake
        ):
            category, unit = pick(unit)
            assign_on = max(assign_on, opened + timedelta(days=24))
            created = self._moment(assign_on - timedelta(days=rng.randrange(8, 16)))
            submitted = self._after(created, 0.1, 2)
            ref = self.intake(
                session,
                lead or rng.choice(leads),
                category,
                created=created,
                submit=submitted,
                topic_unit=unit,
                cosigners=rng.choice([0, 0, 1, 2]),
                exclude=reserved,
                **intake,
            )
            registered = max(
                self._moment(assign_on - timedelta(days=rng.randrange(2, 5))),
                ref.submitted + timedelta(hours=1),
            )
            self.register(ref, registered)
            if plan_kwargs is not None:
                plan = HandlingPlan(unit=unit, assign_on=assign_on, **plan_kwargs)
                self.handle(ref, plan, earliest=registered)
            return ref

        def due_in(days: int) -> date:
            return today + timedelta(days=days) - relativedelta(months=3)

        # Due within the next two weeks.
        for index, (days, unit) in enumerate(
            [(4, edu), (6, transport), (9, None), (11, None), (13, None)]
        ):
            between_sessions(
                due_in(days),
                {
                    "rounds": [RoundPlan(None, contact=index != 3)],
                    "key": index == 2,
                    "extension": DENIED if index == 4 else None,
                    "extension_on": days_ago(12) if index == 4 else None,
                },
                unit=unit,
                lead=me if index == 0 else None,
            )
        # Due soon, more time asked for and not yet decided.
        for days, unit in ((5, edu), (8, transport)):
            between_sessions(
                due_in(days),
                {
                    "rounds": [RoundPlan(None)],
                    "extension": PENDING,
                    "extension_on": days_ago(rng.randrange(1, 4)),
                },
                unit=unit,
            )
        # Due later, acknowledged; the co-unit 州教育局 still owes its opinion.
        later = []
        for index in range(6):
            unit = transport if index == 0 else None
            later.append(
                between_sessions(
                    days_ago(rng.randrange(20, 60)),
                    {
                        "rounds": [RoundPlan(None, contact=index % 2 == 0)],
                        "co_units": [edu] if index == 1 else self._co_units(edu, 0.4),
                        "co_opinions": index != 1,
                        "key": index in (2, 4),
                        "mark_key_later": index == 4,
                    },
                    unit=unit,
                    extra_cosigners=[me] if index == 3 else (),
                )
            )
        # Just assigned, not yet acknowledged.
        for unit in (edu, transport, None, None):
            between_sessions(
                days_ago(rng.randrange(2, 8)),
                {"rounds": [RoundPlan(None)], "ack": False},
                unit=unit,
            )
        # Reassignment asked for, not yet decided.
        for wrong, right in (
            (edu, units["州文旅局"]),
            (units["州住建局"], units["州水利局"]),
        ):
            between_sessions(
                days_ago(rng.randrange(4, 7)),
                {
                    "wrong_unit": wrong,
                    "reassignment": PENDING,
                    "reassignment_on": days_ago(rng.randrange(1, 3)),
                },
                unit=right,
            )
        # Reassigned last month and now in hand.
        between_sessions(
            days_ago(40),
            {
                "rounds": [RoundPlan(None)],
                "wrong_unit": units["州发改委"],
                "reassignment": APPROVED,
            },
            unit=units["州工信局"],
        )
        # Replied in the last two weeks, waiting for the deputy's rating.
        for index, (days, unit) in enumerate(
            [(8, edu), (10, transport), (14, None), (16, None), (18, None)]
        ):
            outcome, _ = outcome_and_rating()
            between_sessions(
                due_in(days),
                {
                    "rounds": [
                        RoundPlan(outcome, reply_on=days_ago(rng.randrange(1, 12)))
                    ],
                    "key": index == 2,
                },
                unit=unit,
                lead=me if index == 2 else None,
            )
        # Closed between sessions.
        for index in range(4):
            outcome, rating = outcome_and_rating()
            reply_on = days_ago(rng.randrange(25, 40))
            between_sessions(
                days_ago(rng.randrange(80, 95)),
                {
                    "rounds": [
                        RoundPlan(
                            outcome,
                            rating,
                            reply_on=reply_on,
                            rate_on=reply_on + timedelta(days=rng.randrange(3, 10)),
                        )
                    ],
                    "publish": index < 2,
                },
                lead=me if index == 0 else None,
            )
        # Rated dissatisfied a few days ago: the new round is not acknowledged yet.
        between_sessions(
            days_ago(70),
            {
                "rounds": [
                    RoundPlan(
                        Outcome.EXPLAINED,
                        Rating.DISSATISFIED,
                        reply_on=days_ago(20),
                        rate_on=days_ago(4),
                    ),
                    RoundPlan(None, ack=False),
                ],
            },
        )
        # Filed in the last days, waiting to be assigned.
        for index in range(5):
            between_sessions(
                days_ago(rng.randrange(-2, 3)), lead=me2 if index == 0 else None
            )
        # Merged into a suggestion already being handled.
        twin_target = later[0]
        created = self._moment(days_ago(22))
        twin = self.intake(
            session,
            rng.choice(leads),
            twin_target.category,
            created=created,
            submit=self._after(created, 0.1, 2),
            title=twin_target.title.replace("关于", "关于加快", 1),
            body=self.text(twin_target.category.name, None, twin_target.place)[1],
            exclude=reserved,
        )
        self.register(twin, self._moment(days_ago(15)))
        self.merge(twin, twin_target, self._moment(days_ago(10)))
        # Not a suggestion.
        title, body, reason, disposition = NOT_SUGGESTIONS[4]
        created = self._moment(days_ago(16))
        odd = self.intake(
            session,
            rng.choice(leads),
            cat["其它"],
            created=created,
            submit=self._after(created, 0.1, 1),
            title=title,
            body=body,
            preset_category=False,
            exclude=reserved,
        )
        self.reject(odd, self._moment(days_ago(10)), reason, disposition)
        # Submitted, waiting for review.
        for index in range(6):
            category, unit = pick(edu if index == 0 else None)
            created = self._moment(days_ago(rng.randrange(3, 9)))
            self.intake(
                session,
                me if index == 0 else rng.choice(leads),
                category,
                created=created,
                submit=self._after(created, 0.1, 2),
                topic_unit=unit,
                cosigners=rng.choice([0, 1, 2]),
                invited_only=[me] if index == 1 else (),
                exclude=reserved,
            )
        # Drafts.
        for index in range(5):
            category, unit = pick(transport if index == 0 else None)
            self.intake(
                session,
                me if index == 0 else rng.choice(leads),
                category,
                created=self._moment(days_ago(rng.randrange(1, 15))),
                topic_unit=unit,
                cosigners=1 if index == 0 else rng.choice([0, 1, 2]),
                invited_only=[me] if index == 1 else (),
                exclude=reserved,
            )
        # A draft withdrawn before it was handed in.
        draft = self.intake(
            session,
            rng.choice(leads),
            cat["农林水牧"],
            created=self._moment(days_ago(30)),
            topic_unit=units["州农业农村局"],
            exclude=reserved,
        )
        self.withdraw(draft, self._moment(days_ago(26)))

    def _home_categories(self) -> dict[str, str]:
        counts: dict[str, Counter] = {}
        for category, rows in ALLOCATION_2023.items():
            for short, n in rows:
                counts.setdefault(short, Counter())[category] += n
        return {short: c.most_common(1)[0][0] for short, c in counts.items()}


# --- loading and deleting -------------------------------------------------------------


DEMO_USERNAMES = ["admin", "staff", "leader", "unit", "unit2", "deputy", "deputy2"]


def demo_accounts(preexisting=()) -> list[tuple[str, str]]:
    """The demo accounts and what each may do, as found in the database."""
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related(
            "unit", "deputy__delegation"
        )
    }
    rows = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None:
            continue
        deputy = (
            getattr(user, "deputy", None) if username.startswith("deputy") else None
        )
        if username == "admin":
            note = "superuser, also congress staff"
        elif username == "staff":
            note = f"congress staff, {user.name}"
        elif username == "leader":
            note = f"leader supervising key suggestions, {user.name}"
        elif user.unit_id:
            note = f"clerk of {user.unit.name}, {user.name}"
        elif deputy is not None:
            note = f"deputy {deputy.name} ({deputy.delegation.name})"
        else:
            note = user.name
        if username in preexisting:
            note += " [existing account: password left unchanged]"
        rows.append((username, note))
    return rows


def _find_demo() -> Congress | None:
    return Congress.objects.filter(region=REGION, level=LEVEL, ordinal=ORDINAL).first()


def delete_demo(congress: Congress | None = None) -> None:
    """Delete the demo congress with everything in it, its accounts, and the units and
    categories nothing else refers to; children before parents."""
    congress = congress or _find_demo()
    User = get_user_model()
    if congress is not None:
        suggestions = Suggestion.objects.filter(session__congress=congress)
        Event.objects.filter(suggestion__in=suggestions).delete()
        Evaluation.objects.filter(suggestion__in=suggestions).delete()
        Reply.objects.filter(assignment__suggestion__in=suggestions).delete()
        ContactRecord.objects.filter(assignment__suggestion__in=suggestions).delete()
        AdjustmentRequest.objects.filter(
            assignment__suggestion__in=suggestions
        ).delete()
        Assignment.objects.filter(suggestion__in=suggestions).delete()
        CoSignature.objects.filter(suggestion__in=suggestions).delete()
        suggestions.filter(merged_into__isnull=False).delete()
        suggestions.delete()
        Session.objects.filter(congress=congress).delete()
        Deputy.objects.filter(delegation__congress=congress).delete()
        Delegation.objects.filter(congress=congress).delete()
        HandlingRules.objects.filter(congress=congress).delete()
        congress.delete()
    User.objects.filter(username__startswith=AUTO_PREFIX).delete()
    User.objects.filter(username__in=DEMO_USERNAMES).delete()
    units = HandlingUnit.objects.filter(name__in=[u.name for u in UNITS])
    for unit in sorted(units, key=lambda u: u.parent_id is None):
        try:
            with transaction.atomic():
                unit.delete()
        except ProtectedError:
            continue
    for category in Category.objects.filter(name__in=CATEGORIES):
        try:
            with transaction.atomic():
                category.delete()
        except ProtectedError:
            continue


def _notification_mark() -> int | None:
    """The last notification before the load (None without the notifications app)."""
    if not apps.is_installed("notifications"):
        return None
    from notifications.models import Notification

    return Notification.objects.aggregate(last=Max("pk"))["last"] or 0


def _settle_notifications(mark: int | None, current: Session) -> int:
    """The services told everyone concerned of each step of the invented history.
    The messages stay in the inboxes (read, but for the current session's), and none
    is sent by e-mail or SMS: the addresses are invented, the events long past."""
    if mark is None:
        return 0
    from notifications.models import Delivery, DeliveryStatus, Notification

    made = Notification.objects.filter(pk__gt=mark)
    Delivery.objects.filter(
        notification__in=made, status=DeliveryStatus.PENDING
    ).delete()
    made.exclude(suggestion__session=current).update(read_at=timezone.now())
    return made.count()


def _sessions_of(congress: Congress) -> dict[str, Session]:
    return {
        "current" if s.is_current else str(s.year): s for s in congress.sessions.all()
    }


def load_demo(
    *, today: date | None = None, stdout=None, reset: bool = False
) -> DemoResult:
    """Build the demo (see the module's docstring) as of ``today``. When it is
    already there, say so and change nothing, unless ``reset`` deletes it first."""

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message if message.endswith("\n") else message + "\n")

    started = time.monotonic()
    today = today or timezone.localdate()
    with transaction.atomic():
        existing = _find_demo()
        if existing is not None and not reset:
            say("demo data already loaded (load_demo --reset deletes and reloads it)")
            accounts = demo_accounts()
            _print_accounts(say, accounts)
            return DemoResult(False, existing, _sessions_of(existing), accounts, 0.0)
        if reset:
            say("deleting the demo data …")
            delete_demo(existing)
        else:
            # Accounts left behind by a demo congress deleted by hand.
            get_user_model().objects.filter(username__startswith=AUTO_PREFIX).delete()
        mark = _notification_mark()
        builder = _Builder(today, say)
        builder.build_reference()
        sessions = builder.make_sessions()
        say(
            f"{builder.congress}: {len(builder.deputies)} deputies in "
            f"{len(builder.delegations)} delegations, {len(builder.units)} units"
        )
        for name, build in (
            ("2022", builder.session_2022),
            ("2023", builder.session_2023),
            ("current", builder.session_current),
        ):
            lap = time.monotonic()
            build()
            steps = builder.replay()
            session = sessions[name]
            count = Suggestion.objects.filter(session=session).count()
            say(
                f"  session {session.ordinal} ({session.year}): {count} suggestions, "
                f"{steps} service calls, {time.monotonic() - lap:.1f} s"
            )
        notified = _settle_notifications(mark, sessions["current"])
        if notified:
            say(
                f"  {notified} notifications written by the services: kept in the "
                "inboxes (read, but for the current session's), not e-mailed"
            )
    seconds = time.monotonic() - started
    say(f"demo data loaded in {seconds:.1f} s (as of {today})")
    accounts = demo_accounts(builder.preexisting)
    _print_accounts(say, accounts)
    return DemoResult(True, builder.congress, sessions, accounts, seconds)


def _print_accounts(say, accounts) -> None:
    say(f"demo accounts (password {PASSWORD}):")
    width = max((len(u) for u, _ in accounts), default=0)
    for username, note in accounts:
        say(f"  {username.ljust(width)}  {note}")
