"""Demo accounts: one per role, placed so that each sees a different slice of the demo community."""
from django.contrib.auth.hashers import make_password

from .models import PartnerUnit, Role, RoleAssignment, User

DEMO_PASSWORD = "minqing2026"
# username, password, what the account shows (printed by `make run`)
DEMO_ACCOUNTS = [
    ("admin", DEMO_PASSWORD, "系统管理员 · 全部范围，含系统管理"),
    ("street", DEMO_PASSWORD, "街道(矿)干部 · 渝阳煤矿全部社区"),
    ("secretary", DEMO_PASSWORD, "社区书记 · 渝阳社区"),
    ("worker", DEMO_PASSWORD, "社区工作者 · 渝阳社区"),
    ("grid1", DEMO_PASSWORD, "网格员(地段长) · 渝阳社区第一地段"),
    ("grid3", DEMO_PASSWORD, "网格员(地段长) · 渝阳社区第三地段"),
    ("building1", DEMO_PASSWORD, "楼栋长 · 渝阳社区1栋"),
    ("branch", DEMO_PASSWORD, "支部书记 · 渝阳社区第二地段支部"),
    ("heating", DEMO_PASSWORD, "协办单位 · 渝阳供热站"),
    ("property", DEMO_PASSWORD, "协办单位 · 安居物业公司"),
    ("inspector", DEMO_PASSWORD, "督查 · 渝阳煤矿(只读)"),
    ("xincun", DEMO_PASSWORD, "社区书记 · 新村社区"),
]
DISPLAY_NAMES = {
    "admin": "系统管理员", "street": "周建国", "secretary": "李秀兰", "worker": "王海燕", "grid1": "陈志强",
    "grid3": "刘桂芳", "building1": "赵大爷", "branch": "孙红梅", "heating": "供热站调度", "property": "物业客服",
    "inspector": "马纪检", "xincun": "黄丽",
}


def build(ctx):
    places = ctx.shared["places"]
    mine, (yuyang, xincun) = places["mine"], places["communities"]
    grids = places["grids"]
    units = {
        "heating": PartnerUnit.objects.create(name="渝阳供热站", kind=PartnerUnit.Kind.HEATING, service_area=mine,
                                              contact_name="调度室", contact_phone="023-4875xxxx"),
        "property": PartnerUnit.objects.create(name="安居物业公司", kind=PartnerUnit.Kind.PROPERTY,
                                               service_area=yuyang, contact_name="客服部"),
        "water": PartnerUnit.objects.create(name="矿区供水公司", kind=PartnerUnit.Kind.WATER, service_area=mine),
        "power": PartnerUnit.objects.create(name="矿区供电所", kind=PartnerUnit.Kind.POWER, service_area=mine),
    }
    grants = {
        "admin": [(Role.ADMIN, places["company"], None)],
        "street": [(Role.STREET_STAFF, mine, None)],
        "secretary": [(Role.COMMUNITY_SECRETARY, yuyang, None)],
        "worker": [(Role.COMMUNITY_WORKER, yuyang, None)],
        "grid1": [(Role.GRID_WORKER, grids[0], None)],
        "grid3": [(Role.GRID_WORKER, grids[2], None)],
        "building1": [(Role.BUILDING_HEAD, places["buildings"][0], None)],
        "branch": [(Role.BRANCH_SECRETARY, grids[1], None)],
        "heating": [(Role.PARTNER_UNIT, mine, units["heating"])],
        "property": [(Role.PARTNER_UNIT, yuyang, units["property"])],
        "inspector": [(Role.SUPERVISOR, mine, None)],
        "xincun": [(Role.COMMUNITY_SECRETARY, xincun, None)],
    }
    users = {}
    # Every demo account shares one password: hash it once (Argon2 is slow on purpose).
    password_hash = make_password(DEMO_PASSWORD)
    for username, _password, _label in DEMO_ACCOUNTS:
        user = User(username=username, display_name=DISPLAY_NAMES[username], is_staff=username == "admin",
                    password=password_hash)
        user.save()
        users[username] = user
        for role, place, unit in grants[username]:
            RoleAssignment.objects.create(user=user, role=role, place=place, partner_unit=unit)
    ctx.shared["users"] = users
    ctx.shared["partner_units"] = units
    ctx.accounts = DEMO_ACCOUNTS
