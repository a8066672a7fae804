"""Where the demo city plants its defects: one place per defect, named by unit or record key.

Each constant is looked up (never iterated) by the generator at the point where it writes the
record concerned; the generator then adds the manifest entry with the accountable persons it
computes from its model. Keys are instance keys (``xm:unit-<key>`` …) of the real Xiamen part of
the demo, so synthetic districts of a scaled run never match them.
"""

from __future__ import annotations

import datetime as dt

# CIV-1.2: a district without a current work programme; a work-group member without a creation plan
NO_WORK_PROGRAMME = "350213"
NO_CREATION_PLAN = "dept-sthj"
# CIV-1.3: a work group with two lead units and one with none
TWO_LEAD_UNITS = "wg-09"
NO_LEAD_UNIT = "wg-10"
# CIV-1.6: a district with no 2025 fund; a sub-district whose 2025 fund is not in the budget
NO_FUND_2025 = "350205"
FUND_NOT_IN_BUDGET = "350206003"
# CIV-2.1 / 2.2 / 2.3: quarters (year, quarter)
NO_WORK_MEETING = (2024, 2)
WORK_MEETING_WRONG_CHAIR = (2025, 1)
NO_JOINT_MEETING = ("wg-03", (2024, 3))
JOINT_MEETING_NO_MEMBER_REPORT = ("wg-05", (2025, 2))
NO_REVIEW_MEETING = (2024, 4)
REVIEW_MEETING_NO_OUTSIDERS = (2025, 2)
REVIEW_MEETING_NO_JOURNALIST = (2025, 3)
# CIV-2.4: problems raised at review meetings
PROBLEM_NOT_RECTIFIED = "problem-2025-Q1-01"
PROBLEM_RECTIFIED_LATE = "problem-2024-Q3-02"
PROBLEM_NO_DEADLINE = "problem-2024-Q2-01"
# CIV-3.1: a creation office without office space; one whose seconded staff left
CREATION_OFFICE_NO_SITE = "350205-cjb"
CREATION_OFFICE_SECONDED_LEFT = "350212-cjb"
SECONDED_LEFT_ON = dt.date(2025, 6, 30)
# CIV-3.2: civilization offices without current non-establishment staff
CIV_OFFICE_NO_STAFF = "350206-wmb"
CIV_OFFICE_STAFF_LEFT = "350211-wmb"
CIV_STAFF_LEFT_ON = dt.date(2025, 3, 31)
# CIV-3.3: a system whose civilization-staff post is not an establishment post; one without space
SYSTEM_STAFF_NOT_ESTABLISHMENT = "sys-transport"
SYSTEM_NO_SITE = "sys-education"
# CIV-3.4: a sub-district and a town without non-establishment staff
NO_NON_ESTABLISHMENT = ("350203002", "350212102")
# CIV-3.5: a department whose liaison left; a sub-district that never named one
LIAISON_LEFT = "dept-sl"
LIAISON_LEFT_ON = dt.date(2025, 9, 30)
NO_LIAISON = "350203009"
# CIV-4.1: a district whose letter expired; a department that signed with the HQ; a sub-district
# whose letter covers nothing
LETTER_EXPIRED = "350211"
LETTER_WRONG_UPPER = "dept-sw"
LETTER_COVERS_NOTHING = "350206002"
# CIV-4.2: a community without linkage; a village linked to a leader who left; a sub-district
# whose linkage expired
COMMUNITY_NO_LINKAGE = "350206001001"
VILLAGE_LEADER_LEFT_TOWN = "350212103"
LINKAGE_EXPIRED = "350213004"
LINKAGE_EXPIRED_ON = dt.date(2025, 6, 30)
# CIV-4.3: a zone without a responsible person; a road section without a responsible unit
ZONE_NO_PERSON = "zone-350203-01"
ROAD_NO_UNIT = "zone-350206-03"
# CIV-5.1 / 5.2 are planted in accountability.py's case table.
# CIV-6.1: the supervision group has neither discipline inspection nor the creation office
# among its members (two findings on the city)
SUPERVISION_GROUP_WITHOUT_MEMBERS = True
# CIV-6.2: every COMPLAINT_PLANT_EVERY-th complaint (at COMPLAINT_PLANT_OFFSET) is planted
COMPLAINT_PLANT_EVERY = 211
COMPLAINT_PLANT_OFFSET = 100
# CIV-6.3: first media exposure of two districts
MEDIA_RECTIFIED_LATE = ("350203", 0)
MEDIA_NO_RECORD = ("350206", 0)
# CIV-6.4: inspections
INSPECTION_NOT_CIRCULATED = "inspection-2025-Q4-350206"
INSPECTION_CIRCULATED_AFTER = "inspection-2025-Q2-350211"
# CIV-6.5: a department assessed without creation work; a town never assessed for 2024
ANNUAL_WITHOUT_CREATION = "dept-szyl"
NO_ANNUAL = "350211102"
# Tenure changes that are not defects (a successor holds a new post node)
MAIN_LEADER_CHANGED = ("dept-ga", dt.date(2025, 3, 31))
SUBDISTRICT_LEADER_CHANGED = ("350203004", dt.date(2025, 8, 31))
TOWN_DEPUTY_CHANGED = ("350212103", dt.date(2025, 4, 30))
