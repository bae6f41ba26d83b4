"""Wordings that tell what a sentence does in a conversation, beyond its grammar.

Each pattern is matched on the sentence's opening (`grammar.opening_text`: lower case, openers such
as "so", "okay" and a vocative left out) or, where it says so, anywhere in the sentence. They are
features of the utterance classifier (`features`), not verdicts: "Can I ask about parking?" opens a
question that follows, "Can I ask how the rotation works?" is one.
"""

from __future__ import annotations

import re


def clauses(opening: str) -> list[str]:
    """The opening and what follows each comma in it ("Sure, let me pull that up")."""
    return [opening, *(part.strip() for part in opening.split(",")[1:])]


def any_clause(pattern: re.Pattern[str], opening: str) -> bool:
    """Does `pattern` open the opening or one of its clauses after a comma?"""
    return any(pattern.match(clause) for clause in clauses(opening))


# Asked as a question, meant as a move in the conversation: permission to speak, to share a
# screen, to ask ("Can I jump in on pricing for a second?", "Do you mind if I share my screen?").
POLITE_FORMULA = re.compile(
    r"^(?:(?:can|could|may) i (?:just |also |quickly )?"
    # "Can I just go back to the residents for a second?", "Sorry, can I ask one more thing?"
    r"(?:jump in|come in|go back to|ask (?:you )?(?:something|a question|about|one more (?:thing|question)|"
    r"another (?:thing|question)|a quick question)|"
    r"ask about|add|bring (?:up|in)|raise|push back|interrupt|mention|suggest|share|put you on hold|"
    r"grab|have a (?:second|minute|moment)|say|chime in|play devil)|"
    r"(?:do|would) you mind if i|mind if i|is it (?:ok|okay|alright|all right|fine) if i|"
    r"can (?:everyone|everybody|you all|you) (?:see|hear) (?:my|me)|can you hear me|"
    r"(?:shall|should) we (?:get started|start|begin|make a start|jump in|dive in|get into it|kick off))",
)
# An embedded question after a polite opening is a real one: "Can I ask how the rotation works?"
ASKING_CLAUSE = re.compile(
    r"^(?:can|could|may) i ask (?:you )?(?:what|how|when|where|who|why|which|whether|if)\b"
)
RHETORICAL = re.compile(
    # "Why not?" on its own; "Why not the 3G?" asks for a reason.
    r"^(?:who knows|who cares|what can i say|what else is new|why not(?=[?.!]*$)|guess what|can you believe|"
    r"you know what|what's not to (?:like|love)|who would(?: have|'ve)? (?:thought|guessed)|"
    r"how (?:hard|difficult) can it be|what could (?:possibly )?go wrong|what's the worst that could|"
    r"(?:are|were) you (?:kidding|joking)|who (?:even|actually|really|honestly) |why would anyone|"
    r"who has time|"
    # "Wouldn't it make sense to do a walk-through?", "Wouldn't it be nice to have a count with no recount?"
    r"wouldn't it (?:make (?:more )?sense|"
    r"be (?:better|easier|simpler|nice|good|great|safer|quicker|cheaper))|"
    r"who (?:believes|trusts|enjoys|likes) |who can (?:predict|blame|say)|"
    r"who (?:doesn't|does not|wouldn't|would not|isn't|needs|wants) |who (?:would|'d) (?:sign|pay|want)|"
    r"what's the point|how (?:cool|great|awesome|amazing|nice|crazy|weird|funny|sweet|lucky|bad|good) "
    r"(?:is|was) (?:that|this)|who's (?:going to|gonna) (?:pay|show up|read|complain)|"
    r"(?:isn't|wasn't|aren't) (?:that|this|it) (?:just )?(?:great|amazing|awesome|cool|nice|crazy|funny|"
    r"wonderful|fantastic|incredible|ironic|terrible|awful|insane|wild))\b"
)
# "Who reads banners anyway?", "Who enjoys blunt feedback though?": asked for effect.
# "Who approved those proofs in the first place?", "Who does that, honestly?"
RHETORICAL_ENDING = re.compile(
    r"\b(?:anyway|anyways|though|after all|in the first place|honestly)\?$|^honestly,? (?:who|why|what)\b"
)
# Complaints and disbelief put as questions, anywhere in the sentence: "Why does this always happen
# the week I'm busiest?", "Isn't that exactly what happened in December?", "Is that even legal?",
# "Do we really think carriers will follow it?", "Seriously, again?"
RHETORICAL_ANYWHERE = re.compile(
    r"^why (?:do|does|is|are|can't|won't) [^?]*\b(?:always|never|only ever|every (?:single )?"
    r"(?:time|year|month|week|shift|quarter))\b|"
    r"^(?:isn't|wasn't|aren't) (?:that|this|it) (?:exactly|just|kind of|sort of|a bit|pretty|always)\b|"
    r"\b(?:is|are|was|were) (?:that|this|it|they) even\b|"
    r"^(?:do|does|did) (?:we|you|they|anyone|people) (?:really|honestly|actually|seriously) "
    r"(?:think|believe|expect)\b|^seriously,? (?:again|though)\?|"
    # "How's she supposed to know our standard?", "Don't they always?", "Is it though, if we count...?"
    r"^how(?:'s| is| are) (?:[\w']+ ){1,2}supposed to\b|"
    r"^(?:don't|doesn't|didn't|isn't|aren't|won't) (?:they|it|we|you|he|she|people) always\b|"
    r"^(?:is|was|are|does|do) (?:it|that|they) though\b|"
    # "Would it kill them to allow less?", "Where do you even find a service book these days?", "Why is
    # everything so expensive in London these days?"
    r"\bwould it kill\b|^(?:where|how|why|what|who) (?:do|does|did|would|can|could) (?:you|we|they|anyone|"
    r"people) even\b|^(?:why|where|how) (?:is|are|does|do|can|can't) [^?]*\bthese days\?$|"
    # "Why does everything hydraulic break in March?", "Is it just me, or...?", "Does it even matter if...?"
    r"^why (?:do|does|is|are) (?:everything|everyone|everybody|nobody|no one)\b|^is it just me\b|"
    # "Why does every website make you tick six boxes?", "Why is nothing ever just plug and play?"
    r"^why (?:do|does|is|are) (?:every (?!one\b)\w+|nothing)\b|"
    r"^(?:does|do|did) (?:it|that|this) (?:even|really) matter\b|"
    # "Who leaves the door propped open every single night?", "Why does your delivery window keep
    # sliding?", "Why is scaffolding so expensive when it's just poles?", "Is twenty pounds really worth
    # moving desks for?", "How is that acceptable for a child with a legal plan?"
    r"^(?:why|who) [^?]*\bevery single\b|^why (?:do|does|is|are) [^?]*\bkeeps? \w+ing\b|"
    r"^why (?:is|are) [^?]*\bso \w+ when\b|^(?:is|are) [^?]*\breally worth\b|"
    r"^how (?:is|was) (?:that|this|it) (?:acceptable|fair|allowed|reasonable)\b|"
    # "Why does it take a burst tyre before anyone bothers?", "Has anyone seen the state of the car park?"
    r"^why does it (?:always |still )?take [^?]*\b(?:before|until|for) (?:anyone|anybody|someone|somebody|"
    r"they|people)\b|^(?:has|have) (?:anyone|anybody|you|everyone)(?: else)? seen the state of\b"
)
SUGGESTION = re.compile(
    r"^(?:why don't (?:we|you|i)|how about (?:we|you|i)\b|what if (?:we|you|i)\b|"
    # "What if IT looked at the access points?": a proposal, unlike "what if the bag is damaged?"
    r"what if (?:[\w']+ ){1,3}(?:looked|tried|used|added|moved|asked|called|put|made|gave|sent|had|opened|"
    r"ran|switched|started|kept|dropped|split|offered|paired|set|took|brought|combined|pushed|did|went)\b)"
)
# Said as a statement although it opens like a question: "When the scanner drops, the pick is lost.",
# "So what happens next is the partner reads the file." (without a question mark).
WH_STATEMENT = re.compile(
    r"^(?:when|whenever|once|if|after|before|while|where) [^,]+, |^what (?:\w+ ){1,3}is (?!it\b|that\b)"
)
EMBEDDED_QUESTION = re.compile(
    r"\b(?:i (?:was|am|'m) wondering|i wonder|i'd (?:like|love) to know|i want to know|"
    r"i'm curious (?:about|what|how|whether|if|why|when)|any idea (?:what|how|when|where|who|why|whether|if)|"
    r"tell me (?:what|how|when|where|who|why|whether|if|more|about|a bit about))\b"
)
# Opening and closing formulas of calls and meetings: nobody writes them down as questions.
CLOSING_FORMULA = re.compile(
    r"^(?:(?:is there )?anything else|any (?:other|more|last|final) (?:questions|thoughts)|any questions|"
    r"(?:what|how) can i (?:do|help)|who am i speaking|is this \w+\?|what's going on\?|"
    r"(?:do you have )?any (?:other )?questions for me|"
    # "Hey Walt, it's Shanice from Cargoline, you got a minute?", "Sure, what have you got?"
    r"(?:have |do )?you (?:got|have) (?:a|a few|five|two) (?:minutes?|secs?|seconds?|moments?)\b|"
    r"what have you got\?|"
    # "Great, is that everything from Ashworth Leisure's side?", "Is that all for today?"
    r"is that (?:everything|all)(?: (?:for (?:now|today|this week)|from [^?]*|on your (?:side|end)))?\?)"
)
SMALL_TALK = re.compile(
    r"\b(?:how (?:was|were|is|are|'s) (?:your|the) (?:weekend|holiday|holidays|trip|flight|vacation|day|week|"
    r"morning|family|conference|festival|long weekend)|how are you|how's it going|how have you been|"
    r"how(?: are|'s) things|how's your|how was the (?:flight|trip|storm|weather)|how's the weather|"
    r"did you (?:have a (?:nice|good|great)|get through|survive|find the link|"
    r"find (?:somewhere|anywhere|a space|a spot) to park|find us (?:ok|okay|all right|alright))|"
    r"(?:coffee|tea) in hand|congrat|happy (?:friday|monday|birthday|holidays)|good (?:morning|afternoon|"
    r"evening)(?: everyone| all)?[.!]?$|welcome back|nice to (?:meet|see)|good to (?:see|hear) you|"
    # "Did you catch the finale last night?", "Did anyone else get stuck in that traffic?"
    r"did (?:you|anyone|everyone|anybody|y'all)(?: else)? (?:catch|watch|survive|get stuck|get soaked|"
    r"get caught|go to the |"
    r"see (?:the|that) (?:game|match|finale|snow|storm|rain|forecast|weather|news))|"
    r"(?:the )?(?:snow|storm|rain|heatwave)'s coming|"
    # "How's the new truck treating you?", "Who took the last of the milk?", "Is anyone going to the
    # staff party?"
    r"how(?:'s| is| are) (?:the |your )?(?:new )?\w+ treating you|who (?:took|ate|drank|finished|nicked) "
    r"the last|(?:going|coming) to the (?:[\w']+ ){0,3}(?:party|barbecue|bbq|picnic|drinks)|"
    # "How's the summer going, lots of gigs?"
    r"how(?:'s| is) (?:the |your )(?:summer|winter|spring|autumn|season|term|new \w+) going|"
    # "Who brought the pastries in?", "Is there any of that cake left?"
    r"who (?:brought|made|baked) (?:the|these|those|in the)|any (?:of (?:that|the|those) )?(?:cake|biscuits|"
    r"pastries|doughnuts|donuts|pizza|cookies|sweets|croissants) left)\b|"
    # A question right after greeting the meeting: "Morning, everyone, did the tents survive the storm?",
    # "Afternoon, everyone, how are the sea legs today?"
    # "Afternoon, Kwame, how was the wedding?": the greeting of a meeting, to one of its members.
    r"^(?:(?:good )?(?:morning|afternoon|evening)(?:,? (?:all|everyone|everybody|team|folks|[a-z]+,))?|"
    r"(?:hi|hello|hey) (?:all|everyone|everybody|team|folks)),? "
    r"(?:did|how|has|have|is|are|was|were)\b[^?]*\?$"
)
# Said at the end or in passing; not a task even when phrased like one.
PLEASANTRY = re.compile(
    r"^(?:(?:nice|great|good|excellent|amazing|solid) (?:work|job|progress|discussion|meeting|call|"
    r"results|catch)|well done|have a (?:great|good|nice|lovely)|take care|talk (?:soon|later|to you)|"
    r"see you|thanks|thank you|enjoy|congrat|keep (?:it up|up the good)|drive safe|safe travels|"
    r"stay (?:warm|dry|safe)|good luck|get well)"
)
INDIRECT_REQUEST = re.compile(
    r"\b(?:i'd|i would|we'd|we would) (?:love|like|want) to (?:see|have|get|read|review|hear)\b|"
    r"\bit(?: would|'d)(?: really)? (?:be (?:really |very |so |super )?(?:good|great|nice|helpful|useful|"
    r"ideal|better)|help) (?:if|to (?:have|get|see|know|hear))\b|"
    r"\b(?:i|we) need (?:someone|somebody|you|one of you) to\b|\b(?:i'd|i would) like you to\b"
)
# The indirect request of the corpus's conventions: "It would be good if the deck covered the risks",
# "It'd be good to get the invoice before the close", "It would really help if the glossary was updated".
IT_WOULD_HELP = re.compile(
    r"\bit(?: would|'d)(?: really)? (?:be (?:really |very |so |super )?(?:good|great|helpful|useful|ideal|"
    r"better)|help) (?:if|to (?:have|get))\b"
)
ADVICE = re.compile(
    r"^(?:you(?:'ll| will| might| may|'d)? (?:also |just |really |probably |still )?(?:want|need) to|"
    r"you should|you'd better|you must|make sure|"
    r"be sure to|don't forget to|remember to)\b"
)
NOW = re.compile(
    r"\b(?:right now|now|at the moment|while we (?:talk|'re on the (?:call|phone))|for you now|right away "
    r"while|real quick|this second|as we speak)\b"
)
# What the other side says when it meets a need in the call itself.
DONE_IN_CALL = re.compile(
    r"^(?:(?:okay|ok|sure|great|all right|alright|perfect|yes|no problem|of course)[,.]? )*"
    r"(?:i can (?:do|update|add|change|set|book|fix|turn|open|move|help with) (?:that|this|it|you|them)|"
    r"i can \w+ (?:that|this|it|them) (?:for you )?(?:right )?now|let me (?:do|update|add|change|check|"
    r"put|set|book|fix|turn|open|move|pull)|i'?ve (?:updated|added|changed|booked|set|opened|moved|fixed|"
    r"turned|applied|ordered|put|cancelled|made)|(?:it's |you're |that's )?(?:all )?(?:done|set|updated|"
    r"added|booked|fixed)\b|done\b|all set\b|"
    r"the (?:\w+ )?(?:is|are) (?:open|set|updated|added|applied|on file|"
    r"booked|paused))"
)
ACKNOWLEDGEMENT = re.compile(
    r"^(?:sure|yes|yeah|yep|okay|ok|of course|absolutely|definitely|will do|no problem|happy to|got it|"
    r"good (?:point|idea|call)|noted|great|perfect|fine|alright|all right)\b"
)
DECISION = re.compile(
    r"\b(?:let's (?:go (?:with|ahead)|commit to|lean|stick with|keep|drop|renew|aim|make an offer|book it|"
    r"try|not change)|we(?:'ll| will) go with|(?:we|i) decided|(?:the )?decision is|(?:it's|is) (?:a )?deal|"
    r"agreed|that's (?:one thing )?settled|\w+ it is|is the target|the plan is)\b"
)
# What may be a commitment or a request even when the parse finds no clause for it ("We need a
# bigger room", "I'll let the analysts know", "I will, with help from two volunteers").
MODAL_WORDING = re.compile(
    r"\b(?:will|'ll|need|needs|let's|let me|let \w+(?: \w+)? know|going to|gonna|should|must|have to|has to|"
    r"can|could|would|'d|please|make sure|keep me|we meet|i'm (?:calling|sending|emailing|booking|meeting))\b"
)
# "Could you send...", "Can your team help...", "Would it be possible for someone to call me...?":
# asking someone to do something, as a question.
ASKING_TO_DO = re.compile(
    r"^(?:can|could|would|will) (?:you|your|someone|somebody|one of you|the \w+ team)\b|"
    r"^(?:would|is) it (?:be )?possible for (?:you|someone|somebody|one of you) to\b"
)
# "Fiona, if you could get in touch with the head, that'd be great", "If you can get the certificate to
# me by 4, I'll check it": a request put as a condition.
IF_YOU_COULD = re.compile(r"^if you (?:could|can) (?!see|hear|find|tell|imagine|believe|afford)\w+")
ASKING_TO_GET = re.compile(r"^(?:can|could|may) (?:i|we) (?:get|have|order|book|add)\b")
# A time offered for a meeting: "Does Tuesday at 10 a.m. work?", "How about Saturday at 11?"
# "Does/Would/Is..." offers a time only when it asks whether the time suits ("Would Tuesday at 11
# work?"); "Is there any cake left from Saturday?" and "Is the Sunday one in the church?" offer none.
# "could we make it 4 o'clock?", "could we do 11:30 instead?": a clock time said alone offers one too.
_A_TIME = (
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|next week|\d(?::\d\d)? ?"
    r"(?:a\.m\.|p\.m\.|am|pm)|noon|\d{1,2}:\d\d|(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve) o'clock|half past \w+|midday|half (?:one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve))\b"
)
_NOT_A_MEETING = r"(?!.*\b(?:be )?(?:done|ready|finished|back|closed|open|still)\b)"
_SUITS = r"\b(?:work|works|suit|suits|okay|ok|good|fine|free|available|convenient|better)\b"
TIME_PROPOSAL = re.compile(
    # "What about the roadworks diversion on Monday?" asks about a subject, not a time.
    r"^(?:(?:(?:how|what) about(?! (?:the|a|an|your|my|our|their|his|her)\b)|how does|shall we|"
    r"should we|can we|could we|do (?:we|you) want|(?:can|could) you (?:do|make))\b"
    + _NOT_A_MEETING
    + r".*"
    + _A_TIME
    # "Is Monday any good?" offers one; "Is the lift bus free on Tuesday?" asks about a thing.
    + r"|(?:does|would|will(?! do\b)|is(?! (?:the|a|an|your|my|our|their|his|her)\b))\b"
    + _NOT_A_MEETING
    + rf"(?=.*{_SUITS}).*"
    + _A_TIME
    # "Shall we say 7 in the evening?", "Could it be the 28th, in the morning?", "I can hold unit 214 for
    # Saturday at 9 a.m., would that work?"
    + r"|(?:shall we say|can we say|could it be|can it be|would it be)\b.*(?:\b\d{1,2}(?::\d\d)? (?:in the "
    + r"(?:morning|afternoon|evening)|o'clock)|\bthe \d{1,2}(?:st|nd|rd|th)\b)|.*"
    + _A_TIME
    + r"[^?]*, (?:would|does|will|is) (?:that|this|it) (?:work|suit|be okay|be ok|be all right|do)\b[^?]*\?$"
    + r")"
)
# Asking to talk about something in the meeting itself: "Can we also talk about the offsite?"
MEETING_MOVE = re.compile(
    r"^(?:can|could|shall|should) we (?:also |quickly |just )?(?:talk about|discuss|go back to|move on|"
    r"go over|go through|come back to|cover|park|take this offline|wrap up|get going|get started)\b"
)

# Formulas that sound like tasks and are not ("let me know if you have questions", "feel free...").
POLITENESS = re.compile(
    r"^(?:let me know if (?:you|there)|feel free|don't hesitate|have a (?:great|good|nice|lovely)|"
    r"thanks|thank you|talk (?:to you )?(?:soon|then|later)|take care|see you|enjoy|keep up the|"
    # "Sure, will do today." commits to a day: no formula.
    r"bear with me|got it|"
    r"will do(?! (?:it |that |them )?(?:today|tonight|tomorrow|this|by|first|on|after|next|later)\b)|"
    r"drive safe|safe travels|stay (?:warm|dry|safe)|good luck|"
    r"hang on|hold on|give me a (?:second|sec|moment|minute)|nice to|good to|let me know what you think)",
    re.IGNORECASE,
)
# Acts done right now, in the conversation, rather than later.
IN_THE_MOMENT = re.compile(
    r"^(?:let me (?:just |quickly )?(?:see|think|explain|ask|start|begin|introduce|show|share my screen|"
    r"pull|bring|repeat|clarify|summarize|recap|jump|walk you|tell you|give you|read|try|be honest|"
    r"put it|go back|add (?:one|something))|"
    r"i(?:'ll| will) (?:be honest|tell you|give you an example|start with|stop (?:sharing|there))|"
    r"(?:now |so |first,? )?let's (?:start|begin|get started|get going|crack on|make a start|kick off|"
    r"dive|jump|move on|recap|wrap|"
    r"go around|do the|talk about|look at|take a look|turn to|go through|go over|"
    r"plan the (?:week|day|sprint)|"
    r"review (?:last|the last|what|where)|discuss|cover|get into|call the meeting|hear from)|"
    r"we(?:'ll| will) (?:talk about|start with|go through|cover|look at))",
    re.IGNORECASE,
)

# An offer asked as a question is a question, not a task: "Would you like a site visit before you
# decide?", "There's a speaker dinner on the thirteenth, would you like to come?", "Should I print
# the set menus?"
# "Can I email it to you?" offers to send something.
OFFER = re.compile(
    r"(?:^|, )(?:would you like|do you want|should i|shall i|"
    r"can i (?:email|send|text|forward|post) (?:it|that|this|them|one|you))\b[^?]*\?$"
)
# Advice put as a suggestion is a task: "It might be worth writing that up for the board", "Then I'd
# strongly suggest a recorded backup".
SUGGESTED_TASK = re.compile(
    r"\b(?:it (?:might|may|would|could) be worth|it'd be worth|(?:i'd|i would) (?:strongly |really )?"
    r"(?:suggest|recommend|advise))\b|"
    # "It's worth giving them a ring about that", "so it's worth asking them" (not "worth noting").
    r"\bit(?:'s| is) (?:well |definitely |probably |always |still )?worth "
    r"(?!noting|mentioning|saying|knowing|remembering|bearing)\w+ing\b"
)

# Advice without a subject: "Best to ask Halsey Roofing to bring spare tiles", "It's best to call them first".
BEST_TO = re.compile(r"^(?:(?:it's|it is|probably|always) )*(?:best|better) to (?!be\b|say\b)\w+")

# Checking something said just before: "My parents live abroad, so I don't have a UK guarantor, is that a
# problem?", "We already have a glossary, would that help?"
CHECK_ENDING = re.compile(
    r", (?:is|was|would|will|does|could) (?:that|it|this) (?:be )?(?:a problem|an issue|okay|ok|all right|"
    r"alright|fine|enough|help|matter|possible|right|correct)\b[^?]*\?$"
)
# Taking a job on without its verb: "Not at all, leave it with me."
LEAVE_IT_WITH_ME = re.compile(r"\bleave (?:it|that|this|them) with (?:me|us)\b")
# A thing wanted by a time is a request: "I'd like a list of every vandalised dock with photos by Friday."
WANTED = re.compile(
    r"^(?:i'd|i would|we'd|we would) (?:like|want|need) (?:a|an|the|some|every|all|those|these)\b"
)
# Someone else's need put to the listener: "Our head will want to see the risk assessment first."
WILL_WANT_TO_SEE = re.compile(r"^(?!you\b)[\w' ]+ (?:will|'ll) (?:want|need) to (?:see|have|read|review)\b")
