"""Made-up personal data: names, e-mail addresses, phone numbers and survey comments.

All of it is fictitious (``example.com`` addresses, 555 exchange numbers) but shaped
like the real thing, so the project's PII handling is exercised on realistic text.
"""

from __future__ import annotations

import functools
import random

FIRST_NAMES = """
James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara
Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy
Matthew Betty Anthony Sandra Mark Margaret Donald Ashley Steven Kimberly Andrew Emily
Paul Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa George Deborah
Timothy Stephanie Ronald Rebecca Jason Sharon Edward Laura Jeffrey Cynthia Ryan Amy
Jacob Kathleen Gary Angela Nicholas Shirley Eric Brenda Jonathan Emma Stephen Anna Larry
Pamela Justin Nicole Scott Samantha Brandon Katherine Benjamin Christine Samuel Debra
Gregory Rachel Alexander Carolyn Patrick Janet Frank Maria Raymond Olivia Jack Heather
Dennis Helen Jerry Catherine Tyler Diane Aaron Julie Jose Victoria Adam Joyce Nathan
Lauren Henry Kelly Zachary Christina Douglas Ruth Peter Joan Kyle Virginia Noah Judith
Ethan Evelyn Jeremy Hannah Walter Andrea Christian Megan Keith Cheryl Roger Jacqueline
Terry Martha Austin Madison Sean Teresa Gerald Kathryn Carl Gloria Harold Sara Dylan
Janice Arthur Jean Lawrence Alice Jordan Abigail Jesse Sophia Bryan Judy Billy Grace
Bruce Denise Gabriel Amber Joe Doris Logan Marilyn Alan Danielle Juan Beverly Albert
Isabella Willie Theresa Elijah Diana Wayne Natalie Randy Brittany Vincent Charlotte
Mason Marie Roy Kayla Ralph Alexis Bobby Lori Russell Priya Wei Aisha Mateo Yuki Fatima
Luis Mei Omar Ana Ivan Chen Rosa Ahmed Lucia Hiroshi
""".split()  # noqa: SIM905 - a name list reads best as text
LAST_NAMES = """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez
Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson
White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott
Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter
Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart
Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed
Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray
Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez
Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales
Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds
Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar
Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington
Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson
Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer
Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza
Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley
Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott
Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry
""".split()  # noqa: SIM905 - a name list reads best as text
AREA_CODES = ("212", "305", "312", "404", "415", "503", "602", "614", "617", "702", "713",
              "720", "813", "919", "973")  # fmt: skip

POSITIVE_COMMENTS = (
    "{agent} was great, sorted it out in minutes.",
    "Quick and friendly, thank you.",
    "Finally someone who knew what to do.",
    "Very helpful, explained everything clearly.",
    "Problem fixed on the first call. Thanks {agent}!",
)
NEUTRAL_COMMENTS = (
    "It was ok but the hold music is awful.",
    "Took a while to get through but fine in the end.",
    "Agent was nice, still waiting to see if it works.",
    "Average. The app should let me do this myself.",
)
NEGATIVE_COMMENTS = (
    "Waited forever and got transferred twice.",
    "Nobody could fix my problem. Call me back at {phone}.",
    "Third time calling about the same bill. Email me at {email} when it is sorted.",
    "Rude and unhelpful. Thinking about cancelling.",
    "Still not resolved, this is ridiculous.",
)


def customer_id_text(index: int) -> str:
    return f"CU{index + 100001:07d}"


def random_phone(rng: random.Random) -> int:
    """A phone number as an integer; ``phone_text`` spells it."""
    return rng.randrange(len(AREA_CODES) * 10_000)


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def email_for(name: str, serial: int) -> str:
    first, last = name.lower().split(" ", 1)
    return f"{first}.{last.replace(' ', '')}{serial % 997}@example.com"


@functools.lru_cache(maxsize=200_000)
def phone_text(number: int) -> str:
    """A 555 number from an integer below ``len(AREA_CODES) * 10_000``."""
    return f"+1{AREA_CODES[number // 10_000]}555{number % 10_000:04d}"


def survey_comment(
    rng: random.Random, score: int, agent_first_name: str, phone: str, email: str
) -> str:
    """A free-text comment whose tone follows the score; some carry the customer's own PII."""
    if score >= 4:
        template = rng.choice(POSITIVE_COMMENTS)
    elif score == 3:
        template = rng.choice(NEUTRAL_COMMENTS)
    else:
        template = rng.choice(NEGATIVE_COMMENTS)
    return template.format(agent=agent_first_name, phone=phone, email=email)
