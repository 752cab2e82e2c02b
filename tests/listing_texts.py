"""Small valid listings that rule tests extend line by line.

Line numbers in the expected messages count from these texts: a line added at
the end of GROUP is line 11. The trailing comments are YAML comments.
"""

GROUP = """\
name: Downtown Serenity Group        # 1
fellowship: aa                        # 2
region: springfield                   # 3
location:                             # 4
  address: 123 Main St                # 5
  city: Springfield                   # 6
meetings:                             # 7
  - day: monday                       # 8
    time: "19:30"                     # 9
    types: [O, D]                     # 10
"""

ONLINE_GROUP = """\
name: Night Owls                      # 1
fellowship: na                        # 2
region: chicago                       # 3
online:                               # 4
  url: https://zoom.us/j/1234567890   # 5
meetings:                             # 6
  - day: friday                       # 7
    time: "22:00"                     # 8
"""
