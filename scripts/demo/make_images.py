#!/usr/bin/env python3
"""Draws the demo catalogue's product pictures: six cars and six motorcycles, flat vector style, 800x600 PNG.

There is no internet on the build machines, so the pictures are generated rather than downloaded. The output is
deterministic (no randomness, no fonts). Run through the runner, which installs Pillow into var/venv:

    scripts/dev demo-images            # writes scripts/demo/images/<slug>.png
    scripts/dev demo-images --out DIR  # elsewhere

Each picture: a gradient sky with sun and clouds, a road, a soft ground shadow and one vehicle in its own colour.
Shapes are drawn at twice the size and scaled down, which anti-aliases the edges; the result is quantised to a
palette so that each file stays well under 60 KB.
"""

import argparse
import math
import os
import sys

from PIL import Image, ImageDraw, ImageFilter

W, H = 800, 600
S = 2  # supersampling factor
GROUND_Y = 470  # where the tyres touch the road


# --- small geometry helpers (coordinates in the 800x600 space) ------------------------------------------------


def sc(points):
    return [(x * S, y * S) for x, y in points]


def chaikin(points, rounds=3, closed=True):
    """Rounds a polygon's corners (Chaikin's corner cutting)."""
    pts = list(points)
    for _ in range(rounds):
        out = []
        n = len(pts)
        last = n if closed else n - 1
        if not closed:
            out.append(pts[0])
        for i in range(last):
            (x0, y0), (x1, y1) = pts[i], pts[(i + 1) % n]
            out.append((0.75 * x0 + 0.25 * x1, 0.75 * y0 + 0.25 * y1))
            out.append((0.25 * x0 + 0.75 * x1, 0.25 * y0 + 0.75 * y1))
        if not closed:
            out.append(pts[-1])
        pts = out
    return pts


def mix(c1, c2, t):
    return tuple(round(a + (b - a) * t) for a, b in zip(c1, c2))


def darker(c, t=0.25):
    return mix(c, (0, 0, 0), t)


def lighter(c, t=0.35):
    return mix(c, (255, 255, 255), t)


def hexc(s):
    s = s.lstrip("#")
    return tuple(int(s[i : i + 2], 16) for i in (0, 2, 4))


class Canvas:
    """An RGB image at S times the final size with drawing helpers taking 800x600 coordinates."""

    def __init__(self, sky_top, sky_bottom, ground, sun):
        self.img = Image.new("RGB", (W * S, H * S))
        self.draw = ImageDraw.Draw(self.img)
        self._sky(sky_top, sky_bottom)
        self._sun(sun)
        self._clouds(lighter(sky_bottom, 0.6))
        self._ground(ground)

    def _sky(self, top, bottom):
        for y in range(GROUND_Y * S):
            self.draw.line([(0, y), (W * S, y)], fill=mix(top, bottom, y / (GROUND_Y * S)))

    def _sun(self, colour):
        x, y, r = 650, 110, 48
        self.draw.ellipse([(x - r - 14) * S, (y - r - 14) * S, (x + r + 14) * S, (y + r + 14) * S],
                          fill=mix(colour, (255, 255, 255), 0.55))
        self.draw.ellipse([(x - r) * S, (y - r) * S, (x + r) * S, (y + r) * S], fill=colour)

    def _clouds(self, colour):
        for cx, cy, k in ((170, 120, 1.0), (420, 80, 0.7), (540, 190, 0.55)):
            for dx, dy, r in ((-40, 8, 26), (-12, -8, 34), (22, 0, 30), (48, 10, 20)):
                rr = r * k
                x, y = cx + dx * k, cy + dy * k
                self.draw.ellipse([(x - rr) * S, (y - rr) * S, (x + rr) * S, (y + rr) * S], fill=colour)
            self.draw.rectangle([(cx - 44 * k) * S, (cy + 4 * k) * S, (cx + 56 * k) * S, (cy + 30 * k) * S],
                                fill=colour)

    def _ground(self, colour):
        self.draw.rectangle([0, GROUND_Y * S - 30 * S, W * S, H * S], fill=lighter(colour, 0.2))  # verge
        self.draw.rectangle([0, GROUND_Y * S - 10 * S, W * S, H * S], fill=colour)  # road
        for x in range(-20, W, 120):
            self.draw.rectangle([x * S, 540 * S, (x + 60) * S, 548 * S], fill=lighter(colour, 0.55))

    def shadow(self, x0, x1, depth=0.45):
        """A soft elliptical shadow on the road under x0..x1."""
        mask = Image.new("L", self.img.size, 0)
        ImageDraw.Draw(mask).ellipse([x0 * S, (GROUND_Y - 12) * S, x1 * S, (GROUND_Y + 16) * S],
                                     fill=round(255 * depth))
        mask = mask.filter(ImageFilter.GaussianBlur(7 * S))
        self.img.paste((20, 20, 28), (0, 0), mask)

    def poly(self, points, fill, smooth=3, outline=None, width=0):
        pts = chaikin(points, smooth) if smooth else points
        self.draw.polygon(sc(pts), fill=fill, outline=outline, width=width * S if outline else 0)

    def line(self, points, fill, width, smooth=0):
        pts = chaikin(points, smooth, closed=False) if smooth else points
        self.draw.line(sc(pts), fill=fill, width=round(width * S), joint="curve")
        r = width / 2
        for x, y in (pts[0], pts[-1]):  # round caps
            self.circle(x, y, r, fill)

    def circle(self, x, y, r, fill, outline=None, width=0):
        self.draw.ellipse([(x - r) * S, (y - r) * S, (x + r) * S, (y + r) * S], fill=fill,
                          outline=outline, width=round(width * S) if outline else 0)

    def rrect(self, x0, y0, x1, y1, r, fill):
        self.draw.rounded_rectangle([x0 * S, y0 * S, x1 * S, y1 * S], radius=r * S, fill=fill)

    def save(self, path):
        small = self.img.resize((W, H), Image.LANCZOS)
        small = small.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        small.save(path, optimize=True)


# --- parts ----------------------------------------------------------------------------------------------------

TYRE = (34, 36, 42)
GLASS = (178, 214, 232)
GLASS_DARK = (120, 160, 186)
CHROME = (205, 210, 216)
HEADLIGHT = (255, 236, 160)
TAIL = (214, 40, 48)


def car_wheel(c, x, r=44, rim=CHROME):
    y = GROUND_Y - r
    c.circle(x, y, r, TYRE)
    c.circle(x, y, r * 0.62, rim)
    c.circle(x, y, r * 0.62, None, outline=darker(rim, 0.2), width=2)
    for i in range(5):  # spokes as small dark holes
        a = i * 2 * math.pi / 5
        c.circle(x + math.cos(a) * r * 0.38, y + math.sin(a) * r * 0.38, r * 0.1, darker(rim, 0.35))
    c.circle(x, y, r * 0.14, darker(rim, 0.45))


def wheel_arch(c, x, r, body):
    c.circle(x, GROUND_Y - r, r + 9, darker(body, 0.45))


def moto_wheel(c, x, r, rim=CHROME, knobby=False, spokes=True):
    y = GROUND_Y - r
    c.circle(x, y, r, TYRE)
    if knobby:
        for i in range(28):
            a = i * 2 * math.pi / 28
            c.circle(x + math.cos(a) * r, y + math.sin(a) * r, 4.5, TYRE)
    c.circle(x, y, r * 0.78, (60, 62, 70))
    c.circle(x, y, r * 0.72, None, outline=rim, width=4)
    if spokes:
        for i in range(12):
            a = i * 2 * math.pi / 12
            c.line([(x, y), (x + math.cos(a) * r * 0.7, y + math.sin(a) * r * 0.7)], rim, 2)
    else:
        for i in range(5):
            a = i * 2 * math.pi / 5 + 0.3
            c.line([(x, y), (x + math.cos(a) * r * 0.7, y + math.sin(a) * r * 0.7)], rim, 7)
    c.circle(x, y, r * 0.22, darker(rim, 0.15))
    c.circle(x, y, r * 0.1, darker(rim, 0.45))


FRAME = (58, 60, 68)


def moto_frame(c, head, seat, pivot, low, colour=FRAME, width=9):
    """Tubes joining the steering head, the seat, the swing-arm pivot and the bottom of the engine cradle."""
    c.line([head, seat], colour, width)  # backbone under the tank
    c.line([head, low, pivot], colour, width)  # down tube and cradle
    c.line([seat, pivot], colour, width)  # seat post


def window_pair(c, front, rear):
    c.poly(front, GLASS, smooth=2)
    c.poly(rear, GLASS, smooth=2)
    # a light streak across the glass
    (x0, y0), (x1, y1) = front[0], front[1]
    c.line([(x0 + 18, y1 + 14), (x0 + 40, y1 + 4)], lighter(GLASS, 0.5), 5)


# --- cars (facing right) --------------------------------------------------------------------------------------


def sedan(c, body):
    fw, rw = 590, 220
    c.shadow(105, 715)
    c.poly([(110, 420), (108, 360), (150, 335), (265, 325), (330, 262), (470, 258), (560, 322), (670, 338),
            (700, 372), (700, 420)], body)
    wheel_arch(c, fw, 46, body)
    wheel_arch(c, rw, 46, body)
    c.poly([(345, 272), (400, 270), (400, 326), (290, 328)], GLASS, smooth=1)
    c.poly([(412, 270), (465, 270), (535, 324), (412, 326)], GLASS, smooth=1)
    c.line([(350, 282), (375, 282)], lighter(GLASS, 0.5), 4)
    c.line([(150, 370), (690, 372)], lighter(body, 0.25), 3)  # shoulder line
    c.line([(405, 330), (405, 415)], darker(body, 0.25), 2)  # door gap
    c.line([(300, 340), (300, 412)], darker(body, 0.25), 2)
    c.rrect(350, 348, 372, 354, 3, darker(body, 0.35))
    c.rrect(450, 348, 472, 354, 3, darker(body, 0.35))
    c.poly([(670, 348), (698, 356), (700, 372), (672, 368)], HEADLIGHT, smooth=1)
    c.poly([(108, 352), (126, 346), (128, 370), (108, 372)], TAIL, smooth=1)
    c.rrect(640, 400, 702, 416, 6, darker(body, 0.5))  # bumper
    c.rrect(104, 400, 150, 416, 6, darker(body, 0.5))
    car_wheel(c, fw)
    car_wheel(c, rw)


def suv(c, body):
    fw, rw = 595, 210
    c.shadow(95, 720)
    c.poly([(100, 430), (100, 300), (130, 228), (190, 214), (520, 214), (575, 290), (680, 305), (708, 340),
            (708, 430)], body, smooth=2)
    wheel_arch(c, fw, 52, body)
    wheel_arch(c, rw, 52, body)
    c.poly([(142, 236), (250, 232), (250, 290), (124, 292)], GLASS, smooth=1)
    c.poly([(262, 232), (385, 232), (385, 292), (262, 292)], GLASS, smooth=1)
    c.poly([(397, 232), (505, 232), (556, 292), (397, 292)], GLASS, smooth=1)
    c.line([(150, 244), (180, 244)], lighter(GLASS, 0.5), 4)
    c.rrect(150, 200, 500, 208, 3, (70, 72, 80))  # roof rails
    c.rrect(175, 204, 185, 216, 2, (70, 72, 80))
    c.rrect(465, 204, 475, 216, 2, (70, 72, 80))
    c.line([(391, 236), (391, 420)], darker(body, 0.25), 2)
    c.line([(256, 236), (256, 420)], darker(body, 0.25), 2)
    c.rrect(300, 310, 326, 317, 3, darker(body, 0.35))
    c.rrect(440, 310, 466, 317, 3, darker(body, 0.35))
    c.rrect(96, 395, 712, 440, 10, (58, 60, 66))  # cladding
    c.poly([(676, 312), (706, 322), (708, 346), (678, 340)], HEADLIGHT, smooth=1)
    c.poly([(100, 300), (116, 298), (116, 340), (100, 342)], TAIL, smooth=1)
    car_wheel(c, fw, 50)
    car_wheel(c, rw, 50)


def hatchback(c, body):
    fw, rw = 560, 235
    c.shadow(145, 680)
    c.poly([(150, 420), (148, 330), (170, 262), (215, 246), (420, 244), (520, 312), (632, 330), (662, 366),
            (662, 420)], body)
    wheel_arch(c, fw, 44, body)
    wheel_arch(c, rw, 44, body)
    c.poly([(186, 266), (220, 256), (300, 256), (300, 318), (170, 320)], GLASS, smooth=1)
    c.poly([(312, 256), (412, 256), (496, 318), (312, 318)], GLASS, smooth=1)
    c.line([(200, 268), (228, 264)], lighter(GLASS, 0.5), 4)
    c.line([(306, 260), (306, 412)], darker(body, 0.25), 2)
    c.line([(430, 322), (430, 412)], darker(body, 0.25), 2)
    c.rrect(360, 336, 384, 342, 3, darker(body, 0.35))
    c.line([(160, 352), (655, 356)], lighter(body, 0.25), 3)
    c.poly([(630, 340), (660, 350), (662, 366), (634, 362)], HEADLIGHT, smooth=1)
    c.poly([(148, 300), (164, 296), (162, 340), (148, 342)], TAIL, smooth=1)
    c.rrect(610, 398, 666, 414, 6, darker(body, 0.5))
    c.rrect(144, 398, 190, 414, 6, darker(body, 0.5))
    car_wheel(c, fw, 42)
    car_wheel(c, rw, 42)


def pickup(c, body):
    fw, rw = 600, 205
    c.shadow(85, 730)
    # bed
    c.poly([(90, 430), (90, 318), (405, 318), (405, 430)], body, smooth=1)
    c.poly([(96, 318), (96, 306), (400, 306), (400, 318)], darker(body, 0.3), smooth=0)
    # cab and hood
    c.poly([(400, 430), (400, 222), (430, 212), (540, 212), (590, 300), (690, 312), (712, 344), (712, 430)],
           body, smooth=2)
    wheel_arch(c, fw, 52, body)
    wheel_arch(c, rw, 52, body)
    c.poly([(420, 226), (532, 226), (574, 298), (420, 298)], GLASS, smooth=1)
    c.line([(430, 238), (460, 238)], lighter(GLASS, 0.5), 4)
    c.line([(412, 304), (412, 420)], darker(body, 0.3), 2)
    c.rrect(446, 318, 472, 325, 3, darker(body, 0.35))
    c.line([(100, 350), (700, 352)], lighter(body, 0.25), 3)
    c.rrect(90, 400, 716, 440, 8, (60, 62, 68))
    c.poly([(684, 318), (710, 328), (712, 352), (686, 346)], HEADLIGHT, smooth=1)
    c.poly([(90, 322), (104, 322), (104, 360), (90, 360)], TAIL, smooth=0)
    car_wheel(c, fw, 50, rim=(150, 152, 160))
    car_wheel(c, rw, 50, rim=(150, 152, 160))


def coupe(c, body):
    fw, rw = 600, 230
    c.shadow(105, 730)
    c.poly([(110, 420), (112, 356), (160, 330), (250, 306), (350, 262), (450, 258), (530, 306), (690, 336),
            (722, 372), (716, 420)], body)
    wheel_arch(c, fw, 46, body)
    wheel_arch(c, rw, 46, body)
    c.poly([(300, 306), (362, 272), (440, 270), (440, 310)], GLASS, smooth=1)
    c.poly([(452, 270), (458, 270), (512, 308), (452, 310)], GLASS, smooth=1)
    c.line([(350, 284), (380, 278)], lighter(GLASS, 0.5), 4)
    c.line([(446, 314), (446, 412)], darker(body, 0.25), 2)
    c.rrect(400, 330, 424, 336, 3, darker(body, 0.35))
    c.poly([(250, 380), (520, 384), (520, 392), (250, 388)], darker(body, 0.2), smooth=0)  # side scoop
    c.poly([(690, 346), (718, 358), (720, 372), (694, 366)], HEADLIGHT, smooth=1)
    c.poly([(112, 352), (134, 344), (136, 360), (112, 366)], TAIL, smooth=1)
    c.poly([(112, 332), (160, 326), (160, 332), (112, 338)], darker(body, 0.45), smooth=0)  # spoiler
    c.rrect(660, 404, 722, 416, 5, darker(body, 0.55))
    car_wheel(c, fw, 46, rim=(60, 62, 70))
    car_wheel(c, rw, 46, rim=(60, 62, 70))


def ev(c, body):
    fw, rw = 585, 225
    c.shadow(110, 705)
    c.poly([(118, 420), (116, 350), (150, 310), (260, 262), (380, 244), (480, 256), (580, 310), (680, 336),
            (702, 372), (700, 420)], body, smooth=4)
    wheel_arch(c, fw, 46, body)
    wheel_arch(c, rw, 46, body)
    c.poly([(190, 308), (270, 274), (390, 262), (390, 314)], GLASS, smooth=2)
    c.poly([(402, 264), (470, 270), (552, 314), (402, 314)], GLASS, smooth=2)
    c.line([(230, 296), (268, 282)], lighter(GLASS, 0.5), 4)
    c.line([(396, 320), (396, 414)], darker(body, 0.2), 2)
    c.rrect(330, 334, 356, 338, 2, darker(body, 0.3))
    c.rrect(450, 334, 476, 338, 2, darker(body, 0.3))
    c.line([(660, 352), (700, 362)], (200, 240, 255), 5)  # light bar
    c.line([(118, 352), (150, 348)], TAIL, 6)
    c.poly([(300, 360), (318, 360), (308, 380), (324, 380), (296, 408), (304, 386), (290, 386)],
           lighter(body, 0.6), smooth=0)  # charging bolt
    car_wheel(c, fw, 45, rim=(225, 230, 236))
    car_wheel(c, rw, 45, rim=(225, 230, 236))


# --- motorcycles (facing right) -------------------------------------------------------------------------------


def sport(c, body):
    fx, rx, r = 590, 215, 74
    c.shadow(130, 680)
    moto_wheel(c, rx, r, spokes=False)
    moto_wheel(c, fx, r, spokes=False)
    moto_frame(c, (548, 276), (330, 300), (390, 360), (450, 380))
    c.line([(rx, GROUND_Y - r), (390, 360)], (70, 72, 80), 12)  # swing arm
    c.line([(fx, GROUND_Y - r), (548, 276)], CHROME, 11)  # fork
    c.poly([(330, 330), (420, 300), (470, 372), (380, 400), (320, 380)], (80, 82, 90), smooth=2)  # engine
    c.line([(380, 400), (250, 404), (200, 388)], (150, 152, 160), 9, smooth=2)  # exhaust
    c.poly([(210, 306), (300, 290), (380, 278), (460, 268), (520, 250), (600, 292), (612, 336), (560, 356),
            (470, 380), (430, 330), (340, 322), (250, 322)], body)
    c.poly([(520, 252), (560, 240), (596, 286), (556, 276)], GLASS_DARK, smooth=1)  # screen
    c.poly([(262, 296), (350, 280), (380, 282), (350, 294), (264, 306)], (40, 40, 46), smooth=1)  # seat
    c.poly([(596, 300), (612, 312), (606, 326), (588, 318)], HEADLIGHT, smooth=1)
    c.poly([(210, 304), (230, 300), (228, 312), (208, 314)], TAIL, smooth=0)
    c.poly([(470, 300), (560, 300), (580, 330), (500, 350)], darker(body, 0.2), smooth=2)  # fairing panel
    c.poly([(420, 340), (530, 346), (512, 392), (410, 396)], body, smooth=2)  # belly pan
    c.line([(440, 362), (500, 364)], lighter(body, 0.4), 4)
    c.poly([(616, 350), (650, 356), (664, 372), (620, 372)], body, smooth=1)  # front fender


def cruiser(c, body):
    fx, rx, r = 620, 200, 70
    c.shadow(115, 700)
    moto_wheel(c, rx, r + 4)
    moto_wheel(c, fx, r)
    moto_frame(c, (536, 262), (300, 320), (330, 390), (470, 404), colour=darker(body, 0.1), width=10)
    c.line([(rx, GROUND_Y - r), (330, 390)], CHROME, 9)  # swing arm
    c.line([(rx, GROUND_Y - r), (260, 330)], CHROME, 7)  # shock
    c.line([(fx, GROUND_Y - r), (536, 262)], CHROME, 10)  # raked fork
    c.line([(520, 250), (500, 214), (470, 206)], CHROME, 7, smooth=2)  # pull-back bars
    c.poly([(340, 320), (400, 312), (450, 330), (440, 410), (350, 410), (320, 370)], CHROME, smooth=2)  # V-twin
    c.poly([(360, 318), (380, 300), (396, 316), (378, 336)], darker(CHROME, 0.3), smooth=1)
    c.poly([(400, 320), (424, 300), (440, 318), (420, 338)], darker(CHROME, 0.3), smooth=1)
    c.line([(430, 400), (300, 420), (150, 418)], CHROME, 10, smooth=2)  # exhaust
    c.poly([(130, 392), (150, 336), (210, 318), (280, 330), (250, 360), (180, 372)], body)  # rear fender
    c.poly([(380, 304), (430, 276), (500, 270), (530, 292), (470, 312)], body)  # tank
    c.line([(420, 288), (492, 282)], lighter(body, 0.4), 4)
    c.poly([(250, 320), (300, 296), (350, 300), (390, 306), (360, 322), (280, 332)], (60, 42, 32))  # seat
    c.circle(560, 262, 20, CHROME)
    c.circle(564, 262, 14, HEADLIGHT)
    c.poly([(580, 380), (620, 366), (672, 384), (660, 394), (620, 386)], body)  # front fender
    c.poly([(128, 352), (142, 348), (144, 362), (128, 364)], TAIL, smooth=0)


def scooter(c, body):
    fx, rx, r = 590, 240, 52
    c.shadow(165, 660)
    moto_wheel(c, rx, r, spokes=False)
    moto_wheel(c, fx, r, spokes=False)
    c.line([(fx, GROUND_Y - r), (560, 300)], (90, 92, 100), 10)
    c.poly([(230, 430), (360, 392), (372, 408), (250, 440)], (80, 82, 90), smooth=1)  # engine / swing arm
    c.poly([(170, 400), (190, 330), (250, 300), (350, 300), (380, 380), (320, 420), (210, 420)], body)
    c.poly([(350, 380), (520, 380), (540, 400), (340, 410)], darker(body, 0.15), smooth=1)  # floorboard
    c.poly([(500, 400), (520, 300), (560, 236), (585, 240), (580, 300), (560, 380), (545, 404)], body)  # apron
    c.poly([(200, 300), (250, 282), (350, 286), (352, 300), (210, 310)], (52, 44, 40))  # seat
    c.line([(540, 232), (600, 226)], (60, 62, 70), 8)  # handlebar
    c.poly([(560, 214), (600, 212), (604, 232), (560, 236)], lighter(body, 0.3), smooth=2)  # headset
    c.poly([(598, 216), (608, 220), (606, 230), (598, 230)], HEADLIGHT, smooth=0)
    c.poly([(176, 340), (190, 332), (190, 352), (174, 356)], TAIL, smooth=0)
    c.poly([(560, 398), (596, 388), (630, 404), (610, 410)], body)  # front fender
    c.circle(260, 360, 10, lighter(body, 0.45))


def trail(c, body):
    fx, rx, r = 600, 210, 78
    c.shadow(120, 700)
    moto_wheel(c, rx, r, knobby=True)
    moto_wheel(c, fx, r, knobby=True)
    moto_frame(c, (548, 236), (330, 270), (380, 350), (450, 390))
    c.line([(rx, GROUND_Y - r), (380, 350)], (70, 72, 80), 10)
    c.line([(380, 350), (330, 280)], (210, 170, 60), 8)  # shock
    c.line([(fx, GROUND_Y - r), (548, 236)], (210, 170, 60), 12)  # long-travel fork
    c.line([(520, 222), (580, 214)], (60, 62, 70), 7)  # bars
    c.poly([(350, 320), (430, 310), (450, 380), (360, 390)], (80, 82, 90), smooth=2)  # engine
    c.line([(360, 320), (300, 280), (210, 262)], (150, 152, 160), 9, smooth=2)  # high exhaust
    c.poly([(170, 266), (260, 262), (380, 270), (450, 262), (520, 254), (540, 282), (460, 310), (360, 312),
            (260, 290), (180, 282)], body)
    c.poly([(250, 262), (380, 264), (440, 256), (440, 266), (380, 274), (252, 272)], (36, 36, 40), smooth=1)
    c.poly([(536, 236), (586, 230), (576, 270), (540, 268)], lighter(body, 0.35), smooth=1)  # number plate
    c.poly([(580, 242), (592, 246), (588, 262), (578, 258)], HEADLIGHT, smooth=0)
    c.poly([(560, 290), (640, 284), (680, 300), (600, 300)], body)  # high front fender
    c.poly([(168, 270), (180, 268), (182, 280), (168, 282)], TAIL, smooth=0)


def naked(c, body):
    fx, rx, r = 590, 215, 72
    c.shadow(130, 680)
    moto_wheel(c, rx, r, spokes=False, rim=(230, 180, 40))
    moto_wheel(c, fx, r, spokes=False, rim=(230, 180, 40))
    moto_frame(c, (540, 258), (300, 292), (380, 360), (470, 392), colour=(196, 40, 40), width=10)
    c.line([(rx, GROUND_Y - r), (380, 360)], (60, 62, 70), 12)
    c.line([(300, 300), (250, 296)], (196, 40, 40), 8)  # subframe
    c.line([(fx, GROUND_Y - r), (540, 258)], (230, 180, 40), 11)  # gold fork
    c.line([(520, 240), (560, 226), (590, 230)], (60, 62, 70), 7, smooth=1)  # upright bar
    c.poly([(340, 320), (440, 306), (470, 380), (370, 404), (330, 370)], (90, 92, 100), smooth=2)  # engine
    for i in range(4):  # cooling fins
        c.line([(350 + i * 4, 330 + i * 16), (452 + i * 4, 318 + i * 16)], (60, 62, 70), 3)
    c.line([(380, 402), (300, 408), (250, 380)], (150, 152, 160), 10, smooth=2)
    c.poly([(370, 300), (400, 266), (480, 258), (530, 276), (510, 306), (420, 312)], body)  # tank
    c.line([(410, 274), (490, 268)], lighter(body, 0.4), 4)
    c.poly([(220, 290), (300, 282), (372, 292), (372, 306), (300, 304), (226, 304)], (36, 36, 40), smooth=1)
    c.poly([(196, 282), (226, 280), (228, 300), (200, 298)], body, smooth=1)  # tail
    c.circle(560, 276, 22, (60, 62, 70))
    c.circle(564, 276, 16, HEADLIGHT)
    c.poly([(196, 286), (206, 284), (206, 294), (196, 294)], TAIL, smooth=0)
    c.poly([(590, 372), (626, 360), (660, 378), (640, 384)], (60, 62, 70))


def touring(c, body):
    fx, rx, r = 610, 200, 72
    c.shadow(100, 700)
    moto_wheel(c, rx, r, spokes=False)
    moto_wheel(c, fx, r, spokes=False)
    moto_frame(c, (556, 280), (300, 300), (340, 380), (480, 400))
    c.line([(rx, GROUND_Y - r), (340, 380)], (70, 72, 80), 12)  # swing arm
    c.line([(fx, GROUND_Y - r), (556, 280)], CHROME, 11)
    c.poly([(350, 330), (450, 320), (470, 400), (360, 410)], (86, 88, 96), smooth=2)  # engine
    c.line([(420, 404), (280, 418), (160, 410)], CHROME, 10, smooth=2)
    c.line([(170, 272), (280, 272)], FRAME, 8)  # luggage rack
    c.poly([(172, 222), (186, 204), (262, 204), (276, 226), (272, 268), (176, 268)], body)  # top case
    c.line([(186, 236), (262, 236)], lighter(body, 0.3), 3)
    c.poly([(176, 300), (240, 262), (340, 256), (400, 274), (460, 276), (520, 240), (590, 250), (630, 320),
            (570, 352), (470, 330), (360, 318), (220, 320), (180, 316)], body)
    c.poly([(140, 400), (146, 306), (266, 306), (272, 400)], darker(body, 0.08))  # pannier
    c.line([(156, 340), (260, 338)], lighter(body, 0.3), 3)
    c.poly([(528, 250), (552, 178), (594, 176), (604, 262)], GLASS_DARK, smooth=2)  # windscreen
    c.poly([(250, 262), (300, 246), (360, 254), (420, 262), (420, 276), (330, 276), (256, 280)], (40, 38, 42))
    c.poly([(604, 272), (628, 286), (624, 304), (602, 296)], HEADLIGHT, smooth=1)
    c.poly([(140, 318), (150, 318), (150, 344), (140, 344)], TAIL, smooth=0)
    c.poly([(600, 374), (640, 360), (686, 382), (664, 390)], body)
    c.line([(470, 292), (560, 292)], CHROME, 3)


# --- catalogue ------------------------------------------------------------------------------------------------

# slug (the file names scripts/demo/catalogue.json refers to), drawer, body colour, sky top, sky bottom, road, sun
VEHICLES = [
    ("sedan", sedan, "#c0263a", "#5b8fd8", "#cfe3f5", "#4b4f5a", "#ffe08a"),
    ("suv", suv, "#2f6b4f", "#7fb6d9", "#e6f1e0", "#55574f", "#fff2b0"),
    ("hatchback", hatchback, "#f2b705", "#3f7cc7", "#bfe0ff", "#4a4e58", "#ffffff"),
    ("pickup", pickup, "#23407a", "#f08a4b", "#ffd9a8", "#5a4f4a", "#fff0c4"),
    ("coupe", coupe, "#ef6c1a", "#2b3a67", "#b5a6d6", "#3f3d4a", "#ffd6e0"),
    ("ev", ev, "#e9eef2", "#2a9d8f", "#bfeee4", "#3c4a4c", "#fffbe0"),
    ("sport", sport, "#d62828", "#4a90d9", "#d7ecff", "#474b55", "#ffe9a0"),
    ("cruiser", cruiser, "#1d1f33", "#e76f51", "#f8c99b", "#5b4b46", "#fff1c9"),
    ("scooter", scooter, "#5fd3b3", "#8ab6f9", "#fde2e4", "#4d5060", "#ffffff"),
    ("trail", trail, "#8ac926", "#6fa8dc", "#f4e6c3", "#6b5a45", "#fff5cc"),
    ("naked", naked, "#3d4450", "#f4a259", "#f9e0b8", "#4f4a47", "#fff3d6"),
    ("touring", touring, "#2749c4", "#9bc1e8", "#eef5e1", "#50545c", "#ffe6a8"),
]


def render(spec, path):
    slug, drawer, body, sky_top, sky_bottom, road, sun = spec
    c = Canvas(hexc(sky_top), hexc(sky_bottom), hexc(road), hexc(sun))
    drawer(c, hexc(body))
    c.save(path)


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="Generate the demo product pictures.")
    parser.add_argument("--out", default=os.path.join(here, "images"), help="output directory")
    parser.add_argument("--only", nargs="*", help="slugs to draw (default: all)")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    for spec in VEHICLES:
        if args.only and spec[0] not in args.only:
            continue
        path = os.path.join(args.out, spec[0] + ".png")
        render(spec, path)
        print(f"{path} {os.path.getsize(path) // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
