Městská rada schválila nový rozpočet v úterý večer.
Stovky lidí se shromáždily na hlavním náměstí, aby oslavily výročí.
Muzeum bude až do konce roku zavřené kvůli rekonstrukci.
Vědci objevili v horách nový druh žáby.
Vlak z Prahy do Vídně měl kvůli sněhu dvě hodiny zpoždění.
Naše školní knihovna letos na jaře dostala více než tisíc nových knih.
Vláda chce snížit cenu elektřiny pro domácnosti.
Moje babička pěstuje na zahradě rajčata, brambory a fazole.
Fotbalový tým vyhrál mistrovství potřetí za sebou.
Lékaři doporučují během horkých letních dnů pít dostatek vody.
Most přes řeku bude opraven příští měsíc.
Mnoho mladých lidí hledá levnější byty na předměstí.
Koncert byl zrušen, protože zpěvačka onemocněla.
Zemědělci se obávají dlouhého sucha letos v létě.
Nová nemocnice bude mít tři sta lůžek a moderní laboratoř.
Turisté o víkendech často navštěvují hrad a staré město.
Firma plánuje do konce března přijmout padesát nových zaměstnanců.
Děti se každý čtvrtek učí plavat v městském bazénu.
Policie hledá svědky včerejší nehody.
Cena chleba minulý týden opět vzrostla.
Spisovatelka představila na knižním veletrhu svůj nejnovější román.
Silný déšť způsobil povodně v několika vesnicích na severu.
Ministr řekl, že reforma začne příští rok.
Studenti protestovali proti vyšším poplatkům za koleje.
Zoo dnes ráno přivítala slůně.
Nová tramvajová linka spojuje centrum s letištěm.
Dobrovolníci vysadili podél břehu řeky dvě stě stromů.
Divadlo připravuje novou inscenaci staré komedie.
Mnoho lidí pracuje z domova alespoň dva dny v týdnu.
Festival každé léto přitahuje návštěvníky z celé Evropy.
